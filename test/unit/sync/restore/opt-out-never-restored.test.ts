import fc from 'fast-check';
import type { CrmRow } from '../../../../src/crm/crm-port';
import { createStateStore } from '../../../../src/store';
import type { SnapshotRow } from '../../../../src/store/types';
import { exportToSnapshot } from '../../../../src/sync/export-to-snapshot';
import { prepareRestore } from '../../../../src/sync/restore/prepare-restore';
import { listRulesSchema } from '../../../../src/validation/list-rules';
import { hostileText } from '../../../helpers/hostile-text';
import { aRun, recordExportOfRun } from '../../../helpers/store-builders';
import { inMemoryCrm } from '../../crm/in-memory-crm';

// An opt-out is never reversed, not even by a restore: whatever else is wrong with today's CRM row
// of a person who withdrew consent, unsubscribed or bounced (a broken address, a blank field, an
// entity type in other letters, a new recipient id), the restore of yesterday's list leaves them out.

const NOW = new Date('2026-11-30T03:00:00.000Z');
const LIST = { key: 'newsletter', listId: 100, restoreMaxAgeDays: 7, optInId: '11', mediaType: 'email' };
const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, entityTypes: ['contact', 'lead'], attributes: {} });
const address = (i: number) => `r${i}@example.test`;
const yesterday = (i: number): SnapshotRow => ({
  recipientId: address(i),
  email: address(i),
  optInId: '11',
  description: 'N',
  mediaType: 'email',
  entityType: i % 2 ? 'lead' : 'contact',
  entityId: `C${i}`,
  attributes: {},
});

/** Today's row of a person of yesterday's list who opted out, with any of its other columns spoiled. */
const optedOutRow = (i: number) =>
  fc
    .record({
      column: fc.constantFrom('consent_withdrawn', 'unsubscribed', 'bounced'),
      flag: fc.constantFrom<unknown>(1, true, 'yes', ' TRUE ', 't', 1n),
      optIn: fc.constantFrom<unknown>(11, '11', ' 11 '),
      media: fc.constantFrom('email', 'EMail', ' email '),
      entityType: fc.constantFrom(i % 2 ? 'lead' : 'contact', i % 2 ? 'LEAD' : 'Contact', ` ${i % 2 ? 'Lead' : 'contact'} `),
      recipientId: fc.oneof(fc.constant(address(i)), fc.constant(`new-${i}@example.test`), fc.constant(null), hostileText),
      email: fc.oneof(fc.constant(address(i)), fc.constant(''), fc.constant('not an address'), hostileText),
      description: fc.oneof(fc.constant('N'), fc.constant(new Date(Number.NaN)), hostileText),
    })
    .map(({ column, flag, optIn, media, entityType, recipientId, email, description }): CrmRow => ({
      recipient_id: recipientId,
      email,
      opt_in_id: optIn,
      media_type: media,
      entity_type: entityType,
      entity_id: `C${i}`,
      description,
      [column]: flag,
    }));

/** Today's row of a person of yesterday's list who did not opt out: selected as yesterday. */
const selectedRow = (i: number): CrmRow => ({
  recipient_id: address(i),
  email: address(i),
  opt_in_id: 11,
  media_type: 'email',
  entity_type: i % 2 ? 'lead' : 'contact',
  entity_id: `C${i}`,
  description: 'N',
});

describe('a restore after a failed list sync', () => {
  it('never puts back anyone whose CRM row today states an opt-out, whatever else is wrong with it', async () => {
    const scenario = fc
      .integer({ min: 1, max: 40 })
      .chain((size) =>
        fc.record({
          size: fc.constant(size),
          optedOut: fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: Math.min(size, 8) }),
        }),
      )
      .chain(({ size, optedOut }) =>
        fc.record({ size: fc.constant(size), optedOut: fc.constant(optedOut), rows: fc.tuple(...optedOut.map(optedOutRow)) }),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, optedOut, rows }) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const good = await store.snapshots.write(
            { client: 'demo', listKey: 'newsletter', runId: 'good' },
            Array.from({ length: size }, (_, i) => yesterday(i)),
          );
          await store.runs.upsert(
            aRun({
              client: 'demo',
              runId: 'good',
              status: 'completed',
              startedAt: new Date(NOW.getTime() - 86_400_000).toISOString(),
              snapshot: good,
            }),
          );
          // Everyone else is selected today as yesterday: only the opt-outs may leave anyone out.
          const others = Array.from({ length: size }, (_, i) => i)
            .filter((i) => !optedOut.includes(i))
            .map(selectedRow);
          const exported = await exportToSnapshot({
            client: 'demo',
            runId: 'failed',
            rules,
            list: { listId: 100, allowResubscribe: false },
            crm: inMemoryCrm({ newsletter: [...rows, ...others] }),
            store,
            now: () => NOW,
          });
          await recordExportOfRun(store, exported, { runId: 'failed' });
          const plan = await prepareRestore({
            store,
            client: 'demo',
            list: LIST,
            runId: 'failed',
            restoreRunId: 'failed:restore',
            now: NOW,
          });
          if (!plan.restorable) throw new Error(plan.reason);
          const restored: string[] = [];
          for await (const batch of store.snapshots.batches(plan.snapshotRef)) restored.push(...batch.rows.map((r) => String(r.entityId)));
          expect(restored.sort()).toEqual(
            Array.from({ length: size }, (_, i) => i)
              .filter((i) => !optedOut.includes(i))
              .map((i) => `C${i}`)
              .sort(),
          );
        } finally {
          await store.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});
