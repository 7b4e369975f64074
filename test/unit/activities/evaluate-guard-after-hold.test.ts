import fc from 'fast-check';
import type { ExportListOutput } from '../../../activities/export-types';
import { guardOnDemo } from '../../helpers/guard-on-demo';

// The re-export after a late approval (docs/daily-sync.md, "A long hold") used to be measured against
// the approved export alone. An operator who approved a run held for another reason (a share of
// exclusions, say) while its export shrank within the limit against the last good run never approved a
// shrink; a re-export that shrank within the limit against the approved one went through, however far
// the two shrinks together took the list below yesterday's (1000 → 850 → 700 with a limit of 20%).
// Likewise an empty re-export on a list that may not be empty, when maxShrinkPercent is 100. Now every
// rule of the first guard the approved export kept holds the re-export that breaks it.

const exportOf = (count: number): ExportListOutput => ({
  snapshotRef: `snap-${count}`,
  count,
  checksum: 'c',
  rowsRead: count,
  excluded: {},
});

describe('evaluateGuard of a re-export after a late approval', () => {
  const { list, lastGood, evaluate: evaluateInput } = guardOnDemo();
  const evaluate = (fresh: number, approved: number) => evaluateInput({ exported: exportOf(fresh), approved: exportOf(approved) });

  const aCase = fc.record({
    lastGood: fc.integer({ min: 0, max: 5000 }),
    approvedShare: fc.double({ min: 0, max: 1.2, noNaN: true }),
    freshShare: fc.double({ min: 0, max: 1.2, noNaN: true }),
    maxShrinkPercent: fc.integer({ min: 0, max: 100 }),
    allowEmpty: fc.boolean(),
  });

  it('holds a re-export that breaks a rule of the first guard the approved export kept, or shrank against it', async () => {
    await fc.assert(
      fc.asyncProperty(aCase, async (c) => {
        const approved = Math.floor(c.lastGood * c.approvedShare);
        const fresh = Math.floor(approved * c.freshShare);
        lastGood.count = c.lastGood;
        Object.assign(list.guard, { maxShrinkPercent: c.maxShrinkPercent, allowEmpty: c.allowEmpty, maxExcludedPercent: 50 });
        const s = c.maxShrinkPercent;
        const shrank = (from: number, to: number) => from > 0 && (from - to) * 100 > s * from;
        const empty = (n: number) => !c.allowEmpty && n === 0;
        const newly = (rule: (n: number) => boolean) => rule(fresh) && !rule(approved);
        const expected = newly((n) => shrank(c.lastGood, n)) || newly(empty) || shrank(approved, fresh);
        const verdict = await evaluate(fresh, approved);
        expect(verdict.hold).toBe(expected);
        expect(verdict.baseline).toEqual({ kind: 'approved-export', count: approved });
      }),
    );
  });

  it('holds two shrinks within the limit each that together go beyond it against the last good run', async () => {
    lastGood.count = 1000;
    Object.assign(list.guard, { maxShrinkPercent: 20, allowEmpty: false });
    const verdict = await evaluate(700, 850);
    expect(verdict.reasons).toEqual([
      'the export shrank by 30.0% against the last good run (1000 → 700; limit 20%), in the re-export after a late approval',
    ]);
    // An approved shrink beyond the limit is not asked again: only a shrink against the approved export is.
    expect((await evaluate(650, 700)).hold).toBe(false);
  });
});
