import fc from 'fast-check';
import { createStateStore, type StateStore } from '../../../../src/store';
import type { SnapshotRow } from '../../../../src/store/types';
import { prepareRestore } from '../../../../src/sync/restore/prepare-restore';
import { aRun, recordTodaysExport } from '../../../helpers/store-builders';

// A reload of the configuration between runs may give a list another consent (`optInId`) or medium.
// The last good run's recipients were exported under the former one: a restore after today's failed
// refill must not put them back under the new one. Every row the last good run sent ends either in the
// restored snapshot, with today's consent and medium, or excluded with its reason.

const NOW = new Date('2026-11-30T03:00:00.000Z');

const aRow = fc.record({
  optInId: fc.constantFrom('11', '12', '011', '11 '),
  mediaType: fc.constantFrom('email', 'EMAIL', 'sms'),
});

describe('a restore after the list changed its consent', () => {
  let store: StateStore;
  let run = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  it('restores only rows sent under the consent and medium the list has today', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(aRow, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('11', '12'),
        fc.constantFrom('email', 'Email', 'sms'),
        async (specs, optInId, mediaType) => {
          const client = `c${++run}`;
          const rows: SnapshotRow[] = specs.map((s, i) => ({
            recipientId: `r${i}@example.test`,
            email: `r${i}@example.test`,
            optInId: s.optInId,
            description: '',
            mediaType: s.mediaType,
            entityType: 'contact',
            entityId: `C${i}`,
            attributes: {},
          }));
          const summary = await store.snapshots.write({ client, listKey: 'newsletter', runId: `${client}-good` }, rows);
          await store.runs.upsert(
            aRun({ client, runId: `${client}-good`, status: 'completed', startedAt: '2026-11-29T03:00:00.000Z', snapshot: summary }),
          );
          await recordTodaysExport(store, rows, { client, runId: `${client}-failed` });
          const plan = await prepareRestore({
            store,
            client,
            list: { key: 'newsletter', listId: 100, restoreMaxAgeDays: 7, optInId, mediaType },
            runId: `${client}-failed`,
            restoreRunId: `${client}-restore`,
            now: NOW,
          });
          if (!plan.restorable) throw new Error(plan.reason);
          const restored: SnapshotRow[] = [];
          for await (const batch of store.snapshots.batches(plan.snapshotRef)) restored.push(...batch.rows);
          for (const r of restored) expect([r.optInId, String(r.mediaType).toLowerCase()]).toEqual([optInId, mediaType.toLowerCase()]);
          const same = specs.filter((s) => s.optInId === optInId && s.mediaType.toLowerCase() === mediaType.toLowerCase()).length;
          expect(restored.length).toBe(same);
          const left = [];
          for await (const entry of store.ledger.stream(`${client}-restore`)) if (entry.outcome === 'excluded') left.push(entry);
          expect(left.length + restored.length).toBe(rows.length);
          for (const entry of left) expect(['consent_mismatch', 'media_type_mismatch']).toContain(entry.reason);
        },
      ),
      { numRuns: 60 },
    );
  });
});
