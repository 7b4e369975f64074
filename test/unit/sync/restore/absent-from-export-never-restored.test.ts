import fc from 'fast-check';
import type { CrmRow } from '../../../../src/crm/crm-port';
import type { StateStore } from '../../../../src/store';
import type { SnapshotRow } from '../../../../src/store/types';
import { exportToSnapshot } from '../../../../src/sync/export-to-snapshot';
import { prepareRestore } from '../../../../src/sync/restore/prepare-restore';
import { listRulesSchema } from '../../../../src/validation/list-rules';
import { aRun } from '../../../helpers/store-builders';
import { newsletterRow, refillSetup } from '../../../helpers/refill-fixtures';
import { inMemoryCrm, row } from '../../crm/in-memory-crm';

// A CRM whose selection drops withdrawn contacts (a view `WHERE consent = granted`) leaves someone
// who withdrew only in the CRM out of today's export without excluding them: no exclusion, nothing in
// the suppression ledger. A restore after a failure after the clear must not put them back (an
// opt-out reversed). Property: whatever yesterday's list, today's exports (each person selected,
// withdrawn in one of three CRM columns, or not selected, in each; a re-export after a long pause
// sends the first export narrowed to it, so absence from any export puts the person in doubt) and the
// suppression ledger, the restored list is exactly yesterday's minus everyone some export of the run
// does not hold or excluded, minus everyone suppressed: never more (an opt-out reversed), never less
// (a list left worse than needed).

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

type Selection = 'selected' | 'consent_withdrawn' | 'unsubscribed' | 'bounced' | 'absent';
const selection = fc.constantFrom<Selection>('selected', 'consent_withdrawn', 'unsubscribed', 'bounced', 'absent');
type Suppression = 'none' | 'unsubscribe' | 'bounce';

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
    /** The run's exports in order: the first, then up to two re-exports (after a long pause). */
    exports: fc.array(fc.array(selection, { minLength: size, maxLength: size }), { minLength: 1, maxLength: 3 }),
    suppressions: fc.array(fc.constantFrom<Suppression>('none', 'none', 'unsubscribe', 'bounce'), { minLength: size, maxLength: size }),
  }),
);

async function lastGoodRun(store: StateStore, yesterday: SnapshotRow[]): Promise<void> {
  const summary = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'good' }, yesterday);
  const startedAt = new Date(NOW.getTime() - 86_400_000).toISOString();
  await store.runs.upsert(aRun({ client: 'demo', runId: 'good', status: 'completed', startedAt, snapshot: summary }));
}

/** Exports as the export activity does: the run record names the latest export's snapshot. */
async function exportEach(store: StateStore, exports: readonly (readonly Selection[])[]): Promise<void> {
  for (const states of exports) {
    const exported = await exportToSnapshot({
      client: 'demo',
      runId: RUN,
      rules,
      list: { listId: 100, allowResubscribe: false },
      crm: inMemoryCrm({ newsletter: crmRows(states) }),
      store,
      now: () => NOW,
    });
    const { snapshotRef, count, checksum } = exported;
    await store.runs.upsert(aRun({ client: 'demo', runId: RUN, startedAt: NOW.toISOString(), snapshot: { snapshotRef, count, checksum } }));
  }
}

describe('a restore after a failure after the clear', () => {
  it("never puts back anyone an export of the run does not hold or excluded, or suppressed, and everyone else of yesterday's list", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, exports, suppressions }) => {
        const yesterday = Array.from({ length: size }, (_, i) => newsletterRow(i, address(i)));
        const { store } = await refillSetup(yesterday, 'good');
        try {
          await lastGoodRun(store, yesterday);
          await store.suppressions.record(
            suppressions.flatMap((kind, i) =>
              kind === 'none'
                ? []
                : [
                    {
                      client: 'demo',
                      kind,
                      recipientKey: address(i),
                      listId: 100,
                      occurredAt: '2026-11-29T10:00:00Z',
                      source: 'closed_loop',
                    },
                  ],
            ),
          );
          await exportEach(store, exports);
          const plan = await prepareRestore({ store, client: 'demo', list: LIST, runId: RUN, restoreRunId: `${RUN}:restore`, now: NOW });
          if (!plan.restorable) throw new Error(plan.reason);
          const restored: string[] = [];
          for await (const batch of store.snapshots.batches(plan.snapshotRef)) restored.push(...batch.rows.map((r) => String(r.entityId)));
          // Absent from or excluded by any export of the run, or suppressed: left out; everyone else stays.
          const stays = (i: number) => exports.every((states) => states[i] === 'selected') && suppressions[i] === 'none';
          const expected = Array.from({ length: size }, (_, i) => i).filter(stays);
          expect(restored.sort()).toEqual(expected.map((i) => `C${i}`).sort());
          // Everyone left out is ledgered, once, by the restore.
          const left: string[] = [];
          for await (const entry of store.ledger.stream(`${RUN}:restore`, { listKey: 'newsletter' })) left.push(entry.entityId);
          expect(left.sort()).toEqual(
            Array.from({ length: size }, (_, i) => i)
              .filter((i) => !stays(i))
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
