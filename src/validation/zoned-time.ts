// The one strict reader of ISO 8601 times with a zone, for times from outside (feedback rows,
// ClosedLoop answers, a CRM's consent time). Date.parse is not enough: it rolls impossible fields
// over (`2026-02-30` becomes 2 March, `24:00` the next day), so a garbled time would be read as a
// different, later one. Here every field must name a real calendar instant, or the text is refused.

const ZONED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

export type ZonedTime =
  | { ok: true; ms: number }
  | { ok: false; reason: 'not an ISO 8601 time with seconds and zone' | 'not a calendar time' | 'zone offset out of range' };

/**
 * The instant (ms) of `YYYY-MM-DD[T ]HH:MM[:SS[.f…]](Z|±HH[:]MM)`, surrounding blanks ignored.
 * `secondsRequired`: a time without seconds is refused (feedback rows always carry them).
 */
export function parseZonedTime(text: string, options: { secondsRequired: boolean }): ZonedTime {
  const m = ZONED.exec(text.trim());
  if (!m || (options.secondsRequired && m[6] === undefined)) return { ok: false, reason: 'not an ISO 8601 time with seconds and zone' };
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  const d = new Date(local);
  const sameFields =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  if (!sameFields) return { ok: false, reason: 'not a calendar time' };
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 14 || offsetMinutes > 59) return { ok: false, reason: 'zone offset out of range' };
  return { ok: true, ms: local - (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000 };
}

const NAIVE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

/**
 * A time of day without a zone (`YYYY-MM-DD[T ]HH:MM[:SS[.f…]]`, as a PostgreSQL `timestamp without
 * time zone`, a SQLite text or a CSV cell writes it) read as if it were UTC: its fields checked as
 * strictly as a zoned time's. It names no instant; the caller decides the span of instants it may be.
 */
export function parseNaiveTime(text: string): ZonedTime {
  const trimmed = text.trim();
  if (!NAIVE.test(trimmed)) return { ok: false, reason: 'not an ISO 8601 time with seconds and zone' };
  return parseZonedTime(`${trimmed}Z`, { secondsRequired: false });
}
