import fc from 'fast-check';
import type { ExportListOutput } from '../../../activities/export-types';
import { guardOnDemo } from '../../helpers/guard-on-demo';
import { reexportCauseText, shownDuration } from '../../../src/sync/reexport-cause';

// A run paused longer than guard.reexportAfter exports again and guards the re-export with the late
// approval's own guard (docs/daily-sync.md, "A long pause"). Its reasons, which operators read in
// `status`, the daily summary, the hold's incident notice and the log, used to say "in the re-export
// after a late approval" and "against the export approved before it" although nobody approved
// anything late: the list had been paused. The workflow now tells the guard why it exported again
// (`reexport`), and the reasons name it: "after a pause of 2h 5m". The verdict is the same either way.

const anExport = (count: number, excludedRows: number, lostNames: number): ExportListOutput => ({
  snapshotRef: `snap-${count}`,
  count,
  checksum: 'c',
  rowsRead: count + excludedRows,
  excluded: excludedRows > 0 ? { consent_withdrawn: excludedRows } : {},
  attributeChanges: { against: 'last-good-run', kept: count, lost: lostNames > 0 ? { firstname: { emptied: lostNames, garbled: 0 } } : {} },
});

const aCase = fc.record({
  lastGood: fc.integer({ min: 0, max: 5000 }),
  approved: fc.record({ count: fc.integer({ min: 0, max: 5000 }), excluded: fc.nat(3000), lost: fc.nat(500) }),
  fresh: fc.record({ count: fc.integer({ min: 0, max: 5000 }), excluded: fc.nat(3000), lost: fc.nat(500) }),
  // A reconcile's removals: the approved diff's and the fresh one's (their live lists).
  removals: fc.option(
    fc.record({ approved: fc.nat(1000), fresh: fc.nat(1000), live: fc.integer({ min: 1, max: 1000 }) }).map((r) => ({
      approved: { remove: Math.min(r.approved, r.live), liveCount: r.live },
      fresh: { remove: Math.min(r.fresh, r.live), liveCount: r.live },
    })),
    { nil: undefined },
  ),
  limits: fc.record({
    maxShrinkPercent: fc.integer({ min: 0, max: 100 }),
    maxExcludedPercent: fc.integer({ min: 0, max: 100 }),
    maxRemovePercent: fc.integer({ min: 0, max: 100 }),
    maxBlankedPercent: fc.integer({ min: 0, max: 100 }),
    allowEmpty: fc.boolean(),
  }),
  pausedMs: fc.oneof(fc.nat(5000), fc.nat(48 * 3_600_000)),
});

describe('evaluateGuard of a re-export names why the list was exported again', () => {
  const { list, lastGood, logged, evaluate } = guardOnDemo();

  it('after a pause: the late approval verdict, each reason naming the pause and its length instead', async () => {
    let held = 0;
    await fc.assert(
      fc.asyncProperty(aCase, async (c) => {
        lastGood.count = c.lastGood;
        Object.assign(list.guard, c.limits, { minAttributeChanges: 0 });
        const input = {
          exported: anExport(c.fresh.count, c.fresh.excluded, Math.min(c.fresh.lost, c.fresh.count)),
          approved: anExport(c.approved.count, c.approved.excluded, Math.min(c.approved.lost, c.approved.count)),
          ...(c.removals ? { removal: c.removals.fresh, approvedRemoval: c.removals.approved } : {}),
        };
        const late = await evaluate({ ...input, reexport: { after: 'late-approval' } });
        // Inputs scheduled before the workflow told the cause read as a late approval, as they did.
        expect(await evaluate(input)).toEqual(late);
        logged.length = 0;
        const paused = await evaluate({ ...input, reexport: { after: 'pause', pausedMs: c.pausedMs } });
        const pause = `a pause of ${shownDuration(c.pausedMs)}`;
        expect({ ...paused, reasons: [] }).toEqual({ ...late, reasons: [] });
        expect(paused.reasons).toEqual(
          late.reasons.map((r) =>
            r.replace('the export approved before it (', 'the export the run went on with (').replaceAll('a late approval', pause),
          ),
        );
        for (const reason of paused.reasons) expect(reason).not.toMatch(/late approval|approved before it/);
        if (paused.hold) {
          held += 1;
          // Every reason says what happened.
          for (const reason of paused.reasons) expect(reason).toContain(pause);
          expect(logged.map((e) => e.message)).toEqual([`Re-export after ${pause} held by the guard`]);
        } else expect(logged).toEqual([]);
      }),
      { numRuns: 200 },
    );
    // The property says something only if the re-exports were held often enough.
    expect(held).toBeGreaterThan(50);
  });

  it('names the shrink against the export the run went on with, the length of the pause, and a late approval as before', async () => {
    lastGood.count = 1000;
    Object.assign(list.guard, { maxShrinkPercent: 20, maxExcludedPercent: 50, allowEmpty: false });
    const input = { exported: anExport(700, 0, 0), approved: anExport(950, 0, 0) };
    expect((await evaluate({ ...input, reexport: { after: 'pause', pausedMs: 7_530_000 } })).reasons).toEqual([
      'the export shrank by 30.0% against the last good run (1000 → 700; limit 20%), in the re-export after a pause of 2h 5m',
      'the export shrank by 26.3% against the export the run went on with (re-exported after a pause of 2h 5m) (950 → 700; limit 20%)',
    ]);
    expect((await evaluate(input)).reasons).toEqual([
      'the export shrank by 30.0% against the last good run (1000 → 700; limit 20%), in the re-export after a late approval',
      'the export shrank by 26.3% against the export approved before it (re-exported after a late approval) (950 → 700; limit 20%)',
    ]);
  });

  it('reads a cause from a history that is no cause without failing: a pause of unknown length, else a late approval', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (after, pausedMs) => {
        const text = reexportCauseText({ after, pausedMs } as never);
        expect(['a late approval', 'a pause']).toContain(text.startsWith('a pause of ') ? 'a pause' : text);
      }),
    );
    expect(reexportCauseText({ after: 'pause', pausedMs: Number.NaN })).toBe('a pause');
    expect(reexportCauseText({ after: 'pause', pausedMs: -5 })).toBe('a pause');
    expect(reexportCauseText(undefined)).toBe('a late approval');
    expect([0, 999, 1000, 59_000, 61_000, 3_600_000, 3_661_000, 90_000_000].map(shownDuration)).toEqual([
      'under 1s',
      'under 1s',
      '1s',
      '59s',
      '1m 1s',
      '1h',
      '1h 1m',
      '25h',
    ]);
  });
});
