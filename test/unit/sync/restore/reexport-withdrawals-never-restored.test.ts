import fc from 'fast-check';
import type { CrmRow } from '../../../../src/crm/crm-port';
import type { SnapshotRow } from '../../../../src/store/types';
import { exportToSnapshot } from '../../../../src/sync/export-to-snapshot';
import { refillChunk } from '../../../../src/sync/refill-chunk';
import { prepareRestore } from '../../../../src/sync/restore/prepare-restore';
import { listRulesSchema } from '../../../../src/validation/list-rules';
import { aRun, recordExportOfRun } from '../../../helpers/store-builders';
import { newsletterRow, refillChunkInput, refillSetup } from '../../../helpers/refill-fixtures';
import { inMemoryCrm, row } from '../../crm/in-memory-crm';

// A run that exports more than once (a re-export after a long pause or after a late approval,
// docs/daily-sync.md "A long pause") and then fails after the clear restores yesterday's list minus
// the suppressed and minus the run's consent exclusions. Every export of the run counts: someone the
// first export excluded for a withdrawal made only in the CRM, whose row then left the selection (a
// CRM view that drops withdrawn contacts) or came back re-granted, is not put back by the restore.

const NOW = new Date('2026-11-30T03:00:00.000Z');
const RUN = 'run-1';
const LIST = { key: 'newsletter', listId: 100, restoreMaxAgeDays: 7, optInId: '11', mediaType: 'email' };
const rules = listRulesSchema.parse({
  listKey: 'newsletter',
  optInId: 11,
  entityTypes: ['contact'],
  attributes: { first_name: 'firstname' },
});
const address = (i: number) => `p${String(i).padStart(3, '0')}@example.test`;

/** A person's row in one export: selected and consenting, withdrawn in one of the CRM's columns, or not selected. */
type Selection = 'selected' | 'consent_withdrawn' | 'unsubscribed' | 'bounced' | 'absent';
const selection = fc.constantFrom<Selection>('selected', 'consent_withdrawn', 'unsubscribed', 'bounced', 'absent');

function crmRows(states: readonly Selection[]): CrmRow[] {
  return states.flatMap((state, i) => {
    if (state === 'absent') return [];
    const base = row({ recipient_id: address(i), email: address(i), entity_id: `C${i}`, first_name: `F${i}` });
    return [state === 'selected' ? base : { ...base, [state]: 1 }];
  });
}

const scenario = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    /** The run's exports in order: the first, then one to three re-exports. */
    exports: fc.array(fc.array(selection, { minLength: size, maxLength: size }), { minLength: 2, maxLength: 4 }),
    /** The first export's first batch was sent before the pause (a re-export between refill chunks). */
    refilledBeforeReexport: fc.boolean(),
  }),
);

describe('a restore after a run that exported more than once', () => {
  it('never puts back anyone any export of the run excluded for consent', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, exports, refilledBeforeReexport }) => {
        const yesterday: SnapshotRow[] = Array.from({ length: size }, (_, i) => newsletterRow(i, address(i)));
        const { store, optimizely } = await refillSetup(yesterday, 'good');
        try {
          const good = await store.snapshots.get(
            (await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'good' }, yesterday)).snapshotRef,
          );
          await store.runs.upsert(
            aRun({
              client: 'demo',
              runId: 'good',
              status: 'completed',
              startedAt: new Date(NOW.getTime() - 86_400_000).toISOString(),
              snapshot: good!,
            }),
          );
          for (const [n, states] of exports.entries()) {
            const exported = await exportToSnapshot({
              client: 'demo',
              runId: RUN,
              rules,
              list: { listId: 100, allowResubscribe: false },
              crm: inMemoryCrm({ newsletter: crmRows(states) }),
              store,
              now: () => NOW,
            });
            await recordExportOfRun(store, exported, { runId: RUN });
            if (n === 0 && refilledBeforeReexport && exported.count > 0)
              await refillChunk(refillChunkInput({ optimizely, store, runId: RUN, snapshotRef: exported.snapshotRef }));
          }
          // The refill fails after the clear: the list is restored from yesterday's.
          const plan = await prepareRestore({ store, client: 'demo', list: LIST, runId: RUN, restoreRunId: `${RUN}:restore`, now: NOW });
          if (!plan.restorable) throw new Error(plan.reason);
          const restored: string[] = [];
          for await (const batch of store.snapshots.batches(plan.snapshotRef)) restored.push(...batch.rows.map((r) => String(r.entityId)));
          const withdrawnInSomeExport = (i: number) => exports.some((states) => states[i] !== 'selected' && states[i] !== 'absent');
          // The restore also leaves out everyone some export of the run does not hold (todays-export.ts).
          const inEveryExport = (i: number) => exports.every((states) => states[i] !== 'absent');
          expect(restored.sort()).toEqual(
            Array.from({ length: size }, (_, i) => i)
              .filter((i) => !withdrawnInSomeExport(i) && inEveryExport(i))
              .map((i) => `C${i}`)
              .sort(),
          );
        } finally {
          await store.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
