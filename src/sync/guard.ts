import type { SyncListConfig } from '../config/config-schema';
import { attributeReasons, type AttributeChanges } from './attribute-guard';
import { AFTER_LATE_APPROVAL, reexportBaselineText } from './reexport-cause';

export interface GuardInput {
  count: number;
  rowsRead: number;
  excluded: Record<string, number>;
  /** Exported recipients whose attribute values had to be sanitized: counted like exclusions. */
  sanitizedRows?: number;
  lastGoodCount?: number;
  /**
   * Only without a last good run (a list's first run): the live list's count read before the clear
   * (Recipient.getCount), as Optimizely answered it, or why it could not be read. Hostile until checked.
   */
  liveCount?: LiveCountAnswer;
  /** Strategy reconcile: the diff's removals against the live list it was computed from. */
  removal?: { remove: number; liveCount: number };
  /**
   * Of `count`, the recipients Optimizely's unsubscribe list held when asked before the clear (every
   * list): the refill leaves them out, so the shrink and the empty-export rule are measured on
   * what would be sent. Our own count of Optimizely's answer, which may be hostile (true for all).
   */
  optimizelyUnsubscribed?: number;
  /**
   * The mapped attribute values of the recipients kept, against the last good run's snapshot
   * (strategy refresh) or the live list (reconcile): attribute-guard.ts. Absent on a refresh's first
   * run and in exports recorded before the attribute guard.
   */
  attributeChanges?: AttributeChanges;
}

/** What Optimizely answered to the live list's count, or why there is no answer. */
export type LiveCountAnswer = { value: unknown } | { error: string };

/**
 * A live count above this is a wrong answer, not a list: no Optimizely recipient list comes near
 * it, and a garbled or overflowed count must not become a baseline that any export passes.
 */
export const MAX_PLAUSIBLE_LIVE_COUNT = 100_000_000;

/**
 * What the export's shrink is measured against: the last good run's count, or, on a list's first
 * run, the live list's count before the clear; `unusable` when that count is no count (a refusal).
 */
export type GuardBaseline =
  | { kind: 'last-good-run'; count: number }
  | { kind: 'live-list'; count: number }
  | { kind: 'unusable'; why: string }
  /** A re-export after a late approval or a long pause: measured against the export the run went on with (guard-after-hold.ts). */
  | { kind: 'approved-export'; count: number };

/** The baseline the shrink rule uses; undefined when neither a last good run nor a live count was given. */
export function guardBaseline(input: Pick<GuardInput, 'lastGoodCount' | 'liveCount'>): GuardBaseline | undefined {
  if (input.lastGoodCount !== undefined) return { kind: 'last-good-run', count: input.lastGoodCount };
  const live = input.liveCount;
  if (live === undefined) return undefined;
  if ('error' in live) return { kind: 'unusable', why: `it could not be read: ${live.error}` };
  const { value } = live;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_PLAUSIBLE_LIVE_COUNT)
    return { kind: 'unusable', why: `Optimizely answered ${describe(value)}, not a count from 0 to ${MAX_PLAUSIBLE_LIVE_COUNT}` };
  return { kind: 'live-list', count: value };
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return typeof value;
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
 * against the last good run (on a list's first run: against the live list before the clear), an abnormal share of excluded rows, or
 * mapped attribute values lost (or, reconcile, updated) for too many of the recipients kept (attribute-guard.ts). Empty means "go ahead".
 */
export function guardReasons(guard: SyncListConfig['guard'], input: GuardInput): string[] {
  const reasons: string[] = [];
  const baseline = guardBaseline(input);
  // A first run whose live count is no count has nothing to measure a shrink against: held, never passed.
  if (baseline?.kind === 'unusable')
    reasons.push(`no last good run, and the live list's count before the clear is unusable (${baseline.why})`);
  const empty = emptyReason(guard, input);
  const shrink = empty ? undefined : baselineShrinkReason(guard, input);
  for (const reason of [empty, shrink, removalReason(guard.maxRemovePercent, input.removal)]) if (reason) reasons.push(reason);
  if (excludedOverLimit(input, guard.maxExcludedPercent)) {
    const what = input.sanitizedRows ? 'excluded or sanitized' : 'excluded';
    reasons.push(`${excludedShare(input).toFixed(1)}% of the list's own rows were ${what} (limit ${guard.maxExcludedPercent}%)`);
  }
  reasons.push(...attributeReasons(guard, input.attributeChanges));
  return reasons;
}

/**
 * An export that would leave the list empty (none accepted, or all of them held unsubscribed by
 * Optimizely), unless the list may be empty. `allowEmpty` lets an empty list through, not a list
 * emptied at once: against a baseline with recipients, an empty export is a shrink of 100%.
 */
export function emptyReason(guard: SyncListConfig['guard'], input: GuardInput): string | undefined {
  if (guard.allowEmpty) return undefined;
  if (input.count === 0) return 'the export is empty';
  const { sendable, leftOut } = sendableCount(input);
  if (sendable === 0)
    return `Optimizely holds every exported recipient as unsubscribed (${leftOut}): the refill would leave the list empty`;
  return undefined;
}

/** The shrink beyond the limit against the last good run, or on a list's first run the live list before the clear. */
export function baselineShrinkReason(guard: SyncListConfig['guard'], input: GuardInput): string | undefined {
  const baseline = guardBaseline(input);
  if (!baseline || baseline.kind === 'unusable') return undefined;
  const { sendable, leftOut } = sendableCount(input);
  return shrinkReason(guard.maxShrinkPercent, { count: sendable, leftOut }, baseline);
}

/**
 * What the refill would send: the export less those Optimizely's unsubscribe list held before the
 * clear. A count that is no count of the export's recipients (negative, fractional, more than the
 * export) is no answer the guard may pass on: read as all of them left out, on the side of the list.
 */
export function sendableCount(input: Pick<GuardInput, 'count' | 'optimizelyUnsubscribed'>): { sendable: number; leftOut: number } {
  const n = input.optimizelyUnsubscribed;
  if (n === undefined || n === 0) return { sendable: input.count, leftOut: 0 };
  const leftOut = Number.isSafeInteger(n) && n > 0 && n <= input.count ? n : input.count;
  return { sendable: input.count - leftOut, leftOut };
}

const AGAINST: Record<'last-good-run' | 'live-list' | 'approved-export', string> = {
  'last-good-run': 'the last good run',
  'live-list': 'the live list before the clear (no last good run)',
  'approved-export': reexportBaselineText(AFTER_LATE_APPROVAL),
};

/**
 * The shrink beyond the limit against the baseline, named in the reason (`against`: how, if not by
 * its kind; a re-export names why it was taken, reexport-cause.ts); a baseline of 0 cannot shrink.
 */
export function shrinkReason(
  maxShrinkPercent: number,
  sent: { count: number; leftOut: number },
  baseline: { kind: 'last-good-run' | 'live-list' | 'approved-export'; count: number },
  against = AGAINST[baseline.kind],
): string | undefined {
  const { count, leftOut } = sent;
  if (baseline.count <= 0) return undefined;
  // Compared without dividing: 7 of 100 is 7%, not 7.000000000000001% held against a limit of 7%.
  if ((baseline.count - count) * 100 <= maxShrinkPercent * baseline.count) return undefined;
  const shrink = ((baseline.count - count) / baseline.count) * 100;
  const after = leftOut > 0 ? `, after leaving out ${leftOut} Optimizely holds as unsubscribed` : '';
  return `the export shrank by ${shrink.toFixed(1)}% against ${against} (${baseline.count} → ${count}${after}; limit ${maxShrinkPercent}%)`;
}

type ShareInput = Pick<GuardInput, 'rowsRead' | 'excluded' | 'sanitizedRows'>;

/** The list's own rows (other consents and duplicates aside) and how many of them were excluded or sanitized. */
function ownRows(input: ShareInput): { own: number; counted: number } {
  let ignored = 0;
  let counted = input.sanitizedRows ?? 0;
  for (const [reason, n] of Object.entries(input.excluded)) {
    if (SHARE_IGNORED_REASONS.includes(reason)) ignored += n;
    else counted += n;
  }
  return { own: input.rowsRead - ignored, counted };
}

/** Percentage of the list's own rows (other consents and duplicates aside) that were excluded or sanitized. */
export function excludedShare(input: ShareInput): number {
  const { own, counted } = ownRows(input);
  return own > 0 ? (counted / own) * 100 : 0;
}

/**
 * Whether more than `maxExcludedPercent` of the list's own rows were excluded or sanitized. Compared
 * without dividing, as the shrink and the removal are: the share divided first is 7.000000000000001% for
 * 7 of 100, which a limit of 7% held.
 */
export function excludedOverLimit(input: ShareInput, maxExcludedPercent: number): boolean {
  const { own, counted } = ownRows(input);
  return own > 0 && counted * 100 > maxExcludedPercent * own;
}

/** A reconcile that would remove more than `maxRemovePercent` of the live list is held like a shrink. */
export function removalReason(maxRemovePercent: number, removal: GuardInput['removal']): string | undefined {
  if (!removal || removal.liveCount === 0 || removal.remove === 0) return undefined;
  // Compared without dividing, as the shrink is: 7 of 100 is 7%, not 7.000000000000001% held against a limit of 7%.
  if (removal.remove * 100 <= maxRemovePercent * removal.liveCount) return undefined;
  const share = (removal.remove / removal.liveCount) * 100;
  return `the reconcile would remove ${share.toFixed(1)}% of the live list (${removal.remove} of ${removal.liveCount}; limit ${maxRemovePercent}%)`;
}
