import fc from 'fast-check';

// A held reconcile approved after guard.reexportAfter exports, reads and diffs again (docs/daily-sync.md,
// "A long hold"). What the tests of that fresh diff's guard draw: the approved diff, and what happened
// to the list during the hold: recipients added to the live list by hand (each a leaver of the fresh
// diff; the export never sees them) and members who withdrew in the CRM (each a leaver of the fresh
// diff and an exclusion of the fresh export).

export interface HoldWithRemovals {
  /** The live list the approved diff was read from, and how many of it that diff removed. */
  live: number;
  removed: number;
  joiners: number;
  /** During the hold: added to the live list by hand, and members withdrawn in the CRM. */
  handAdded: number;
  withdrawn: number;
  maxRemovePercent: number;
  maxShrinkPercent: number;
}

export const aHoldWithRemovals = (maxLive = 5000): fc.Arbitrary<HoldWithRemovals> =>
  fc
    .record({
      live: fc.integer({ min: 1, max: maxLive }),
      removedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      joiners: fc.integer({ min: 0, max: Math.ceil(maxLive / 2) }),
      handAdded: fc.integer({ min: 0, max: 3 * maxLive }),
      withdrawnShare: fc.double({ min: 0, max: 1, noNaN: true }),
      maxRemovePercent: fc.integer({ min: 0, max: 100 }),
      maxShrinkPercent: fc.integer({ min: 0, max: 100 }),
    })
    .map(({ live, removedShare, withdrawnShare, ...rest }) => {
      const removed = Math.floor(live * removedShare);
      return { ...rest, live, removed, withdrawn: Math.floor((live - removed) * withdrawnShare) };
    });

/** The export's accepted recipients before the hold (the stayers and the joiners). */
export const approvedCount = (h: HoldWithRemovals): number => h.live - h.removed + h.joiners;

export type Removal = { remove: number; liveCount: number };

export const approvedRemoval = (h: HoldWithRemovals): Removal => ({ remove: h.removed, liveCount: h.live });
export const freshRemoval = (h: HoldWithRemovals): Removal => ({
  remove: h.removed + h.handAdded + h.withdrawn,
  liveCount: h.live + h.handAdded,
});

const over = (limit: number, r: Removal) => r.remove * 100 > limit * r.liveCount;

/**
 * What an operator's approval covers of the fresh diff's removals: the first guard's limit, or, when
 * the approved diff removed more than it, those removals and the limit beyond them.
 */
export function removalAllowed(limit: number, fresh: Removal, approved: Removal): boolean {
  return !over(limit, fresh) || (over(limit, approved) && (fresh.remove - approved.remove) * 100 <= limit * fresh.liveCount);
}

/**
 * The fresh export is held whatever its diff removes: it shrank beyond maxShrinkPercent against the
 * approved one (the withdrawals), or every recipient withdrew (an empty export, the list not allowed empty).
 */
export const exportHeldAfterHold = (h: HoldWithRemovals): boolean =>
  h.withdrawn * 100 > h.maxShrinkPercent * approvedCount(h) || (approvedCount(h) > 0 && h.withdrawn === approvedCount(h));
