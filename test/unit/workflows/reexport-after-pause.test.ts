import fc from 'fast-check';
import { reexportDueAfterPause } from '../../../workflows/late-approval';

// The decision at a safe point after a pause (workflows/list-sync.ts, docs/daily-sync.md "A long
// pause"): export again exactly when the run waited there and the export it would go on with is older
// than guard.reexportAfter; never without a pause, never in histories without the threshold.
const ms = fc.integer({ min: 0, max: 48 * 3600_000 });

describe('reexportDueAfterPause', () => {
  it('is due exactly when the run paused and its export is older than the threshold', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.option(ms, { nil: undefined }), ms, ms, (paused, threshold, exportedAt, elapsed) => {
        const due = reexportDueAfterPause(paused, threshold, exportedAt, exportedAt + elapsed);
        expect(due).toBe(paused && threshold !== undefined && elapsed > threshold);
      }),
    );
  });

  it('is always due after a pause that itself lasted longer than the threshold, wherever it began after the export', () => {
    fc.assert(
      fc.property(ms, ms, ms, fc.integer({ min: 1, max: 3600_000 }), (threshold, exportedAt, before, longer) => {
        const pausedAt = exportedAt + before;
        const resumedAt = pausedAt + threshold + longer;
        expect(reexportDueAfterPause(true, threshold, exportedAt, resumedAt)).toBe(true);
      }),
    );
  });

  it('is never due without a pause or a threshold (histories from before the threshold)', () => {
    fc.assert(
      fc.property(ms, ms, ms, (threshold, exportedAt, elapsed) => {
        expect(reexportDueAfterPause(false, threshold, exportedAt, exportedAt + elapsed)).toBe(false);
        expect(reexportDueAfterPause(true, undefined, exportedAt, exportedAt + elapsed)).toBe(false);
      }),
    );
  });
});
