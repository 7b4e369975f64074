// Feedback times: ISO 8601 with seconds and an explicit zone, as ClosedLoop rows carry them
// (`2026-11-28T06:15:00.000+00:00`, `…Z`; a space may stand for the `T`). Anything else is rejected:
// a time without a zone is ambiguous, and an unreadable one must never become 1970.

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):?(\d{2}))$/;

/** Feedback before this is not plausible (Optimizely Campaign keeps 30 days); it is rejected, not applied. */
export const EARLIEST_FEEDBACK_MS = Date.UTC(2000, 0, 1);
/** Clock skew tolerated for times after our own now. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export type TimeCheck = { ok: true; iso: string } | { ok: false; reason: string };

/** Parses a feedback timestamp strictly and returns it as UTC ISO, or why it was refused. */
export function parseFeedbackTime(text: string, nowMs: number): TimeCheck {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return { ok: false, reason: 'not an ISO 8601 time with seconds and zone' };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  const d = new Date(local);
  const sameFields = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second;
  if (!sameFields) return { ok: false, reason: 'not a calendar time' };
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 14 || offsetMinutes > 59) return { ok: false, reason: 'zone offset out of range' };
  const ms = local - (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  if (ms < EARLIEST_FEEDBACK_MS) return { ok: false, reason: 'before 2000-01-01' };
  if (ms > nowMs + FUTURE_TOLERANCE_MS) return { ok: false, reason: 'more than a day in the future' };
  return { ok: true, iso: new Date(ms).toISOString() };
}
