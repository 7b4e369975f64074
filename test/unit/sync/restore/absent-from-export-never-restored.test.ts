import fc from 'fast-check';
import { newsletterRow, refillSetup } from '../../../helpers/refill-fixtures';
import {
  address,
  entityIdsOf,
  exportOfRun,
  recordLastGoodRun,
  restoredEntityIds,
  RESTORE_RUN,
  selection,
} from '../../../helpers/restore-scenario';

// A CRM whose selection drops withdrawn contacts (a view `WHERE consent = granted`) leaves someone
// who withdrew only in the CRM out of today's export without excluding them: no exclusion, nothing in
// the suppression ledger. A restore after a failure after the clear must not put them back (an
// opt-out reversed). Property: whatever yesterday's list, today's exports (each person selected,
// withdrawn in one of three CRM columns, or not selected, in each; a re-export after a long pause
// sends the first export narrowed to it, so absence from any export puts the person in doubt) and the
// suppression ledger, the restored list is exactly yesterday's minus everyone some export of the run
// does not hold or excluded, minus everyone suppressed: never more (an opt-out reversed), never less
// (a list left worse than needed).

type Suppression = 'none' | 'unsubscribe' | 'bounce';

const scenario = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    /** The run's exports in order: the first, then up to two re-exports (after a long pause). */
    exports: fc.array(fc.array(selection, { minLength: size, maxLength: size }), { minLength: 1, maxLength: 3 }),
    suppressions: fc.array(fc.constantFrom<Suppression>('none', 'none', 'unsubscribe', 'bounce'), { minLength: size, maxLength: size }),
  }),
);

describe('a restore after a failure after the clear', () => {
  it("never puts back anyone an export of the run does not hold or excluded, or suppressed, and everyone else of yesterday's list", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, exports, suppressions }) => {
        const yesterday = Array.from({ length: size }, (_, i) => newsletterRow(i, address(i)));
        const { store } = await refillSetup(yesterday, 'good');
        try {
          await recordLastGoodRun(store, yesterday);
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
          for (const states of exports) await exportOfRun(store, states);
          // Absent from or excluded by any export of the run, or suppressed: left out; everyone else stays.
          const stays = (i: number) => exports.every((states) => states[i] === 'selected') && suppressions[i] === 'none';
          expect(await restoredEntityIds(store)).toEqual(entityIdsOf(size, stays));
          // Everyone left out is ledgered, once, by the restore.
          const left: string[] = [];
          for await (const entry of store.ledger.stream(`${RESTORE_RUN}:restore`, { listKey: 'newsletter' })) left.push(entry.entityId);
          expect(left.sort()).toEqual(entityIdsOf(size, (i) => !stays(i)));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
