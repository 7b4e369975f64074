import type { SyncListConfig } from '../config/config-schema';

export interface GuardInput {
  count: number;
  rowsRead: number;
  excluded: Record<string, number>;
  /** Exported recipients whose attribute values had to be sanitized: counted like exclusions. */
  sanitizedRows?: number;
  lastGoodCount?: number;
  /** Strategy reconcile: the diff's removals against the live list it was computed from. */
  removal?: { remove: number; liveCount: number };
}

/**
 * Rows that are not this list's business (another consent or medium in an unfiltered report) and
 * duplicates of a kept row are normal; only the remaining exclusions count towards the share, and
 * so do sanitized rows: a CRM that suddenly sends garbage is held before the clear, whether its
 * rows are stripped or excluded.
 */
export const SHARE_IGNORED_REASONS = ['consent_mismatch', 'media_type_mismatch', 'duplicate'];

/**
 * Reasons to hold a run before the clear: an empty export, a shrink beyond the list's threshold
 * against the last good run, or an abnormal share of excluded rows. Empty means "go ahead".
 */
export function guardReasons(guard: SyncListConfig['guard'], input: GuardInput): string[] {
  const reasons: string[] = [];
  // `allowEmpty` lets an empty list through, not a list emptied at once: against a last good run
  // with recipients, an empty export is a shrink of 100% like any other.
  if (input.count === 0 && !guard.allowEmpty) reasons.push('the export is empty');
  else if (input.lastGoodCount !== undefined && input.lastGoodCount > 0) {
    const shrink = ((input.lastGoodCount - input.count) / input.lastGoodCount) * 100;
    if (shrink > guard.maxShrinkPercent) {
      reasons.push(
        `the export shrank by ${shrink.toFixed(1)}% against the last good run (${input.lastGoodCount} → ${input.count}; limit ${guard.maxShrinkPercent}%)`,
      );
    }
  }
  const removal = removalReason(guard.maxRemovePercent, input.removal);
  if (removal) reasons.push(removal);
  const share = excludedShare(input);
  if (share > guard.maxExcludedPercent) {
    const what = input.sanitizedRows ? 'excluded or sanitized' : 'excluded';
    reasons.push(`${share.toFixed(1)}% of the list's own rows were ${what} (limit ${guard.maxExcludedPercent}%)`);
  }
  return reasons;
}

/** Percentage of the list's own rows (other consents and duplicates aside) that were excluded or sanitized. */
export function excludedShare(input: Pick<GuardInput, 'rowsRead' | 'excluded' | 'sanitizedRows'>): number {
  let ignored = 0;
  let counted = input.sanitizedRows ?? 0;
  for (const [reason, n] of Object.entries(input.excluded)) {
    if (SHARE_IGNORED_REASONS.includes(reason)) ignored += n;
    else counted += n;
  }
  const own = input.rowsRead - ignored;
  return own > 0 ? (counted / own) * 100 : 0;
}

/** A reconcile that would remove more than `maxRemovePercent` of the live list is held like a shrink. */
export function removalReason(maxRemovePercent: number, removal: GuardInput['removal']): string | undefined {
  if (!removal || removal.liveCount === 0 || removal.remove === 0) return undefined;
  const share = (removal.remove / removal.liveCount) * 100;
  if (share <= maxRemovePercent) return undefined;
  return `the reconcile would remove ${share.toFixed(1)}% of the live list (${removal.remove} of ${removal.liveCount}; limit ${maxRemovePercent}%)`;
}
