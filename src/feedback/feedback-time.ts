import { canonicalUtcIso, msOfCanonicalIso } from '../validation/canonical-utc-time';
import { parseZonedTime } from '../validation/zoned-time';

// Feedback times: ISO 8601 with seconds and an explicit zone, as ClosedLoop rows carry them
// (`2026-11-28T06:15:00.000+00:00`, `…Z`; a space may stand for the `T`). Anything else is rejected:
// a time without a zone is ambiguous, and an unreadable one must never become 1970.

/** Feedback before this is not plausible (Optimizely Campaign keeps 30 days); it is rejected, not applied. */
export const EARLIEST_FEEDBACK_MS = Date.UTC(2000, 0, 1);
const EARLIEST_FEEDBACK_ISO = new Date(EARLIEST_FEEDBACK_MS).toISOString();
/** Clock skew tolerated for times after our own now. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export type TimeCheck = { ok: true; iso: string } | { ok: false; reason: string };

/** Parses a feedback timestamp strictly and returns it as UTC ISO, or why it was refused. */
export function parseFeedbackTime(text: string, nowMs: number): TimeCheck {
  // ClosedLoop's own form from 2000 on, read by its characters (every response row's time); its
  // ISO form and instant are what the strict reader gives (test/unit/feedback/feedback-time-canonical.test.ts).
  const iso = canonicalUtcIso(text);
  if (iso !== undefined && iso >= EARLIEST_FEEDBACK_ISO) {
    if (msOfCanonicalIso(iso) > nowMs + FUTURE_TOLERANCE_MS) return { ok: false, reason: 'more than a day in the future' };
    return { ok: true, iso };
  }
  const time = parseZonedTime(text, { secondsRequired: true });
  if (!time.ok) return time;
  const ms = time.ms;
  if (ms < EARLIEST_FEEDBACK_MS) return { ok: false, reason: 'before 2000-01-01' };
  if (ms > nowMs + FUTURE_TOLERANCE_MS) return { ok: false, reason: 'more than a day in the future' };
  return { ok: true, iso: new Date(ms).toISOString() };
}
