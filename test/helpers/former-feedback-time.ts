import { EARLIEST_FEEDBACK_MS, FUTURE_TOLERANCE_MS, type TimeCheck } from '../../src/feedback/feedback-time';
import { parseZonedTime } from '../../src/validation/zoned-time';

// Test-only reference: parseFeedbackTime as it was before ClosedLoop's own form got a path without
// the general reader (src/feedback/feedback-time.ts at main 7674134).

export function formerParseFeedbackTime(text: string, nowMs: number): TimeCheck {
  const time = parseZonedTime(text, { secondsRequired: true });
  if (!time.ok) return time;
  const ms = time.ms;
  if (ms < EARLIEST_FEEDBACK_MS) return { ok: false, reason: 'before 2000-01-01' };
  if (ms > nowMs + FUTURE_TOLERANCE_MS) return { ok: false, reason: 'more than a day in the future' };
  return { ok: true, iso: new Date(ms).toISOString() };
}
