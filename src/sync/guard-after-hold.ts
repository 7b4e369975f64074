import type { SyncListConfig } from '../config/config-schema';
import { attributeReasonsAfterHold } from './attribute-guard';
import {
  baselineShrinkReason,
  emptyReason,
  excludedOverLimit,
  excludedShare,
  removalReason,
  sendableCount,
  shrinkReason,
  type GuardInput,
} from './guard';
import { reexportBaselineText, reexportCauseText, type ReexportCause } from './reexport-cause';

/**
 * The guard of a re-export taken after a late approval (docs/daily-sync.md, "A long hold") or a long
 * pause ("A long pause"; `after` says which, and the reasons name it). The
 * operator approved the held export as it was: a reason they approved is not asked again, a new one
 * is. So the re-export goes through every rule of the first guard (an export that would leave the
 * list empty, a shrink against the last good run or on a list's first run the live list, a reconcile's
 * removals, the share of excluded rows, an attribute's lost values and a reconcile's update share) and
 * is held again where it breaks a rule the approved export kept; and it is measured against the approved export itself: held when what the refill would send
 * shrank beyond `maxShrinkPercent` against what the approved export would have sent (a mass
 * withdrawal, a CRM that went wrong during the hold; an approved export that was empty cannot
 * shrink), and a reconcile's fresh diff when it removes beyond the approved removals
 * (`removalAfterHoldReason`). `fresh` and `approved` carry the same last good count (and on a first
 * run the live count each was measured against).
 */
export function guardReasonsAfterHold(
  guard: SyncListConfig['guard'],
  fresh: GuardInput,
  approved: GuardInput,
  after?: ReexportCause,
): string[] {
  const reasons: string[] = [];
  const cause = reexportCauseText(after);
  // A rule of the first guard that the approved export kept and the re-export breaks.
  const newly = (rule: (input: GuardInput) => string | undefined) => {
    const reason = rule(fresh);
    if (reason && !rule(approved)) reasons.push(`${reason}, in the re-export after ${cause}`);
  };
  newly((input) => emptyReason(guard, input));
  newly((input) => baselineShrinkReason(guard, input));
  const { sendable, leftOut } = sendableCount(fresh);
  const shrink = shrinkReason(
    guard.maxShrinkPercent,
    { count: sendable, leftOut },
    { kind: 'approved-export', count: sendableCount(approved).sendable },
    reexportBaselineText(after),
  );
  if (shrink) reasons.push(shrink);
  const removal = removalAfterHoldReason(guard.maxRemovePercent, fresh.removal, approved.removal, after);
  if (removal) reasons.push(removal);
  if (excludedOverLimit(fresh, guard.maxExcludedPercent) && !excludedOverLimit(approved, guard.maxExcludedPercent))
    reasons.push(
      `${excludedShare(fresh).toFixed(1)}% of the list's own rows were excluded or sanitized in the re-export after ${cause} (limit ${guard.maxExcludedPercent}%)`,
    );
  reasons.push(...attributeReasonsAfterHold(guard, fresh.attributeChanges, approved.attributeChanges, after));
  return reasons;
}

type Removal = NonNullable<GuardInput['removal']>;

/**
 * A reconcile's fresh diff, read after a late approval (or a long pause: `after`), removes what the
 * live list holds then: hand edits at Optimizely during the hold and members who withdrew in the CRM are leavers too, so it may
 * remove far more than the diff the operator approved. Its removals go through the first guard's
 * rule (more than `maxRemovePercent` of the live list it was read from). Only when the approved diff
 * itself removed more than that (the operator approved those removals) are they measured from it:
 * held when the fresh diff removes more than `maxRemovePercent` of the live list beyond them.
 */
export function removalAfterHoldReason(
  maxRemovePercent: number,
  fresh?: Removal,
  approved?: Removal,
  after?: ReexportCause,
): string | undefined {
  const reason = removalReason(maxRemovePercent, fresh);
  if (!reason || !fresh) return undefined;
  const cause = reexportCauseText(after);
  if (!approved || !removalReason(maxRemovePercent, approved)) return `${reason}, re-read after ${cause}`;
  const beyond = fresh.remove - approved.remove;
  // Compared without dividing, as the shrink is.
  if (beyond * 100 <= maxRemovePercent * fresh.liveCount) return undefined;
  return `the reconcile re-read after ${cause} would remove ${beyond} more than the approved ${approved.remove} (${fresh.remove} of ${fresh.liveCount} on the live list; limit ${maxRemovePercent}% of it beyond the approved)`;
}
