import type { SyncListConfig } from '../config/config-schema';
import { excludedShare, sendableCount, shrinkReason, type GuardInput } from './guard';

/**
 * The guard of a re-export taken after a late approval (docs/daily-sync.md, "A long hold"): the
 * operator approved the held export as it was, so the re-export is measured against that one, not
 * against the last good run the approved hold was about. Held again when what the refill would send
 * shrank beyond `maxShrinkPercent` against what the approved export would have sent (a mass
 * withdrawal, a CRM that went wrong during the hold; an approved export that was empty cannot
 * shrink), or when the share of excluded rows went over `maxExcludedPercent` while the approved
 * export's was within it. A reason the operator approved is not asked again; a new one is.
 */
export function guardReasonsAfterHold(guard: SyncListConfig['guard'], fresh: GuardInput, approved: GuardInput): string[] {
  const reasons: string[] = [];
  const { sendable, leftOut } = sendableCount(fresh);
  const shrink = shrinkReason(
    guard.maxShrinkPercent,
    { count: sendable, leftOut },
    { kind: 'approved-export', count: sendableCount(approved).sendable },
  );
  if (shrink) reasons.push(shrink);
  const share = excludedShare(fresh);
  if (share > guard.maxExcludedPercent && excludedShare(approved) <= guard.maxExcludedPercent)
    reasons.push(
      `${share.toFixed(1)}% of the list's own rows were excluded or sanitized in the re-export (limit ${guard.maxExcludedPercent}%)`,
    );
  return reasons;
}
