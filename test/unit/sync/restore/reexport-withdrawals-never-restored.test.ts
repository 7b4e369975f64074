import fc from 'fast-check';
import type { SnapshotRow } from '../../../../src/store/types';
import { refillChunk } from '../../../../src/sync/refill-chunk';
import { newsletterRow, refillChunkInput, refillSetup } from '../../../helpers/refill-fixtures';
import {
  address,
  entityIdsOf,
  exportOfRun,
  recordLastGoodRun,
  restoredEntityIds,
  RESTORE_RUN,
  selection,
} from '../../../helpers/restore-scenario';

// A run that exports more than once (a re-export after a long pause or after a late approval,
// docs/daily-sync.md "A long pause") and then fails after the clear restores yesterday's list minus
// the suppressed and minus the run's consent exclusions. Every export of the run counts: someone the
// first export excluded for a withdrawal made only in the CRM, whose row then left the selection (a
// CRM view that drops withdrawn contacts) or came back re-granted, is not put back by the restore.

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
          await recordLastGoodRun(store, yesterday);
          for (const [n, states] of exports.entries()) {
            const exported = await exportOfRun(store, states);
            if (n === 0 && refilledBeforeReexport && exported.count > 0)
              await refillChunk(refillChunkInput({ optimizely, store, runId: RESTORE_RUN, snapshotRef: exported.snapshotRef }));
          }
          // The refill fails after the clear: the list is restored from yesterday's.
          const withdrawnInSomeExport = (i: number) => exports.some((states) => states[i] !== 'selected' && states[i] !== 'absent');
          // The restore also leaves out everyone some export of the run does not hold (todays-export.ts).
          const inEveryExport = (i: number) => exports.every((states) => states[i] !== 'absent');
          expect(await restoredEntityIds(store)).toEqual(entityIdsOf(size, (i) => !withdrawnInSomeExport(i) && inEveryExport(i)));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
