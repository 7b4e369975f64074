import fc from 'fast-check';
import { guardReasonsAfterHold } from '../../../src/sync/guard-after-hold';
import type { GuardInput } from '../../../src/sync/guard';
import {
  aHoldWithRemovals,
  approvedCount,
  approvedRemoval,
  freshRemoval,
  removalAllowed,
  exportHeldAfterHold,
  type HoldWithRemovals,
} from '../../helpers/hold-removals';
import { guardLimits } from '../../helpers/guard-limits';

// The fresh diff of a reconcile approved late goes through the first guard's removal rule: more than
// maxRemovePercent of the live list is held, unless the operator approved a diff that removed more
// than that, and then only what goes beyond it by more than the limit. The former guard of the
// re-export measured only the export's shrink and share: it let any number of recipients added by
// hand during the hold, and withdrawals under maxShrinkPercent, be removed.

const guardOf = (h: HoldWithRemovals) =>
  guardLimits({
    maxRemovePercent: h.maxRemovePercent,
    maxShrinkPercent: h.maxShrinkPercent,
    // The first guard held the run for the one excluded row of the approved export.
    maxExcludedPercent: 0,
    reexportAfter: 1,
  });

function exportsOf(h: HoldWithRemovals): { approved: GuardInput; fresh: GuardInput } {
  const count = approvedCount(h);
  const exportOf = (withdrew: number, removal: GuardInput['removal']): GuardInput => ({
    count: count - withdrew,
    rowsRead: count + 1,
    excluded: { consent_withdrawn: 1 + withdrew },
    removal,
  });
  return { approved: exportOf(0, approvedRemoval(h)), fresh: exportOf(h.withdrawn, freshRemoval(h)) };
}

describe("the guard of a reconcile's fresh diff after a late approval", () => {
  it('holds every fresh diff that removes more than the approval covers, and passes the rest unless the export shrank', () => {
    fc.assert(
      fc.property(aHoldWithRemovals(), (h) => {
        const { approved, fresh } = exportsOf(h);
        const reasons = guardReasonsAfterHold(guardOf(h), fresh, approved);
        const allowed = removalAllowed(h.maxRemovePercent, freshRemoval(h), approvedRemoval(h));
        expect(reasons.length > 0).toBe(!allowed || exportHeldAfterHold(h));
        if (!allowed) expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/re-read after a late approval/)]));
      }),
    );
  });

  it('never passes more recipients added by hand where fewer were held', () => {
    fc.assert(
      fc.property(aHoldWithRemovals(), fc.nat(15_000), (h, more) => {
        const { approved, fresh } = exportsOf(h);
        const moreAdded = exportsOf({ ...h, handAdded: h.handAdded + more }).fresh;
        if (guardReasonsAfterHold(guardOf(h), fresh, approved).length > 0)
          expect(guardReasonsAfterHold(guardOf(h), moreAdded, approved)).not.toEqual([]);
      }),
    );
  });

  it('lets an unchanged diff through, whatever the approved one removed', () => {
    fc.assert(
      fc.property(aHoldWithRemovals(), (h) => {
        const { approved } = exportsOf(h);
        expect(guardReasonsAfterHold(guardOf(h), approved, approved)).toEqual([]);
      }),
    );
  });

  it('names the removals beyond an approved removal over the limit, and a removal newly over it', () => {
    const guard = guardLimits({ approvalTimeout: 1, reexportAfter: 1 });
    const approved: GuardInput = { count: 700, rowsRead: 700, excluded: {}, removal: { remove: 300, liveCount: 1000 } };
    const fresh = (remove: number, liveCount: number): GuardInput => ({ ...approved, removal: { remove, liveCount } });
    expect(guardReasonsAfterHold(guard, fresh(400, 1000), approved)).toEqual([]);
    expect(guardReasonsAfterHold(guard, fresh(401, 1000), approved)).toEqual([
      'the reconcile re-read after a late approval would remove 101 more than the approved 300 (401 of 1000 on the live list; limit 10% of it beyond the approved)',
    ]);
    const withinBefore: GuardInput = { ...approved, removal: { remove: 50, liveCount: 1000 } };
    expect(guardReasonsAfterHold(guard, fresh(100, 1000), withinBefore)).toEqual([]);
    expect(guardReasonsAfterHold(guard, fresh(101, 1000), withinBefore)).toEqual([
      'the reconcile would remove 10.1% of the live list (101 of 1000; limit 10%), re-read after a late approval',
    ]);
  });
});
