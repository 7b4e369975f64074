// `readyBy`: the local time by which a list must be ready, "HH:MM <IANA time zone>" (e.g.
// "06:00 Europe/Berlin"). The deadline instants are computed here, with the zone rules of Intl, so
// summer and winter time move the UTC instant and never the local one.

const READY_BY = /^([01]\d|2[0-3]):([0-5]\d) (\S+)$/;

export interface ReadyBy {
  hour: number;
  minute: number;
  /** An IANA time zone Intl knows. */
  timeZone: string;
}

/** The spec, or why it is not one (the caller names the list and setting). */
export function parseReadyBy(text: string): { ok: true; value: ReadyBy } | { ok: false; problem: string } {
  const m = READY_BY.exec(text);
  if (!m)
    return { ok: false, problem: `${JSON.stringify(text)} is not "HH:MM <time zone>" (24-hour local time, e.g. "06:00 Europe/Berlin")` };
  const timeZone = m[3] as string;
  const problem = timeZoneProblem(timeZone);
  if (problem !== undefined) return { ok: false, problem };
  return { ok: true, value: { hour: Number(m[1]), minute: Number(m[2]), timeZone } };
}

/** Region/City names and UTC, as Intl knows them; offsets such as "+01:00" are refused (they ignore summer time). */
export function isIanaTimeZone(name: string): boolean {
  return timeZoneProblem(name) === undefined;
}

/**
 * Why a name is not an IANA time zone campaign-sync can use, or undefined. Intl accepts any letter
 * case (`europe/berlin`), but the zone also goes into Temporal schedules, whose server looks it up by
 * its exact name (Go's time.LoadLocation): a spelling Intl alone accepts would load here and fail at
 * `schedules apply`. So the name must be spelled as the database spells it.
 */
export function timeZoneProblem(name: string): string | undefined {
  const notOne = `${JSON.stringify(name)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`;
  if (FIXED_OFFSET_NAME.test(name)) return fixedOffset(name);
  // Every segment of a database name starts with a capital letter (America/Port-au-Prince, Etc/GMT+5).
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(name)) return caseHint(name) ?? notOne;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return notOne;
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return spelledAs(name, resolved);
  return caseHint(name);
}

/**
 * Offsets and abbreviations written as zones: Etc/GMT+1 is UTC-01:00 (POSIX inverts the sign) and
 * EST is New York without summer time, so a run set for "Etc/GMT+1" or "EST" meaning Berlin or New York
 * starts an hour or two off half the year. Temporal accepts them; campaign-sync refuses them.
 */
const FIXED_OFFSET_NAME = /^((Etc\/)?(GMT|UTC|UCT)[+-]\d+|EST|MST|HST)$/;

const fixedOffset = (name: string) =>
  `${JSON.stringify(name)} is a fixed offset, not a place's time zone: no summer time${name.includes('GMT') ? ', and the sign is inverted (Etc/GMT+1 is UTC-01:00)' : ''}; write the place's zone (e.g. Europe/Berlin, America/New_York) or UTC`;

/** The database's spelling when the name differs from a canonical zone only in letter case. */
function caseHint(name: string): string | undefined {
  const lower = name.toLowerCase();
  const canonical = canonicalZones().find((zone) => zone !== name && zone.toLowerCase() === lower);
  return canonical === undefined ? undefined : spelledAs(name, canonical);
}

const spelledAs = (name: string, zone: string) => `${JSON.stringify(name)} must be spelled as the time zone database spells it: "${zone}"`;

let zones: string[] | undefined;
function canonicalZones(): string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zones;
}

/** A spec already validated by the configuration schema. */
export function readyByOf(text: string): ReadyBy {
  const parsed = parseReadyBy(text);
  if (!parsed.ok) throw new RangeError(parsed.problem);
  return parsed.value;
}

/** The latest deadline at or before `atMs` (ms), and the one a local day before it. */
export function deadlineAtOrBefore(spec: ReadyBy, atMs: number): { deadlineMs: number; previousMs: number; localDate: string } {
  let day = localDateOf(atMs, spec.timeZone);
  let deadlineMs = instantOf(day, spec);
  if (deadlineMs > atMs) {
    day = addDays(day, -1);
    deadlineMs = instantOf(day, spec);
  }
  return { deadlineMs, previousMs: instantOf(addDays(day, -1), spec), localDate: isoDate(day) };
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localDateOf(ms: number, timeZone: string): LocalDate {
  const parts = fieldsIn(ms, timeZone);
  return { year: parts.year, month: parts.month, day: parts.day };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const isoDate = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/**
 * The UTC instant of a local date and time in the zone. A local time that does not exist (the hour
 * skipped when summer time starts) falls to the same clock time after the shift, one hour later; one
 * that comes twice (the hour repeated when summer time ends) is its first occurrence: "ready by 02:30"
 * means by the first time the clock shows 02:30.
 */
function instantOf(date: LocalDate, spec: ReadyBy): number {
  const wallClock = Date.UTC(date.year, date.month - 1, date.day, spec.hour, spec.minute);
  // The zone's offsets at least half a day either side of the real instant (wallClock - offset, with
  // offsets from -12 h to +14 h): at most one change lies between them. Sampling half a day either
  // side of wallClock itself missed the first 02:00 in a zone ahead of UTC by 13 h (McMurdo on the
  // day summer time ends), whose change lies within 12 h of wallClock read as UTC.
  const before = wallClock - offsetMs(wallClock - MAX_AHEAD_MS - HALF_DAY_MS, spec.timeZone);
  const after = wallClock - offsetMs(wallClock + MAX_BEHIND_MS + HALF_DAY_MS, spec.timeZone);
  const shows = (instant: number) => instant + offsetMs(instant, spec.timeZone) === wallClock;
  const valid = [before, after].filter(shows);
  // Both show the time: it comes twice, the earlier is first. Neither: it was skipped, before's offset moves it past the gap.
  return valid.length > 0 ? Math.min(...valid) : before;
}

const HALF_DAY_MS = 12 * 3_600_000;
/** The furthest a zone's clock is ahead of UTC (Pacific/Kiritimati, +14 h) and behind it (-12 h). */
const MAX_AHEAD_MS = 14 * 3_600_000;
const MAX_BEHIND_MS = 12 * 3_600_000;

/** How far the zone's wall clock is ahead of UTC at `ms`. */
export function offsetMs(ms: number, timeZone: string): number {
  const f = fieldsIn(ms, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function fieldsIn(ms: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(new Date(ms))) if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  return out;
}
