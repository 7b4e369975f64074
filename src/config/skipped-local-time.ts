import { offsetMs } from './ready-by';

// A Temporal schedule at a local time the zone skips (02:30 in Europe/Berlin on the night summer time
// starts) does not start at all that night: the server finds no instant showing 02:30 and goes on to
// the next day. The nightly run would be missing once a year without a word, so such a time is
// refused at start (the caller names the setting).

/** How far ahead the zone's changes are looked for: its yearly rules, and a change already announced. */
const HORIZON_MS = 3 * 366 * 86_400_000;
/** Samples of the offset this far apart find every change: no zone changes twice within 6 hours. */
const STEP_MS = 6 * 3_600_000;
const DAY_MINUTES = 24 * 60;

interface Gap {
  /** Local minute of the day the clock jumps from, and how many minutes it skips. */
  fromMinute: number;
  minutes: number;
  /** The local date of the jump, YYYY-MM-DD. */
  date: string;
}

const gapsByZone = new Map<string, { fromMs: number; gaps: Gap[] }>();

/** Why a daily local time cannot be scheduled in the zone, or undefined (the caller names the setting). */
export function skippedTimeProblem(hour: number, minute: number, timeZone: string): string | undefined {
  const date = skippedDate(hour, minute, timeZone);
  if (date === undefined) return undefined;
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return `${time} does not exist in ${timeZone} on ${date} (the clock skips it when summer time starts): Temporal's schedule would start nothing that night; choose a time outside the skipped hour`;
}

/** The first local date within the next three years on which `hour:minute` does not exist in the zone, or undefined. */
export function skippedDate(hour: number, minute: number, timeZone: string, nowMs: number = Date.now()): string | undefined {
  const wanted = hour * 60 + minute;
  const skipped = gapsOf(timeZone, nowMs).find((gap) => (wanted - gap.fromMinute + DAY_MINUTES) % DAY_MINUTES < gap.minutes);
  return skipped?.date;
}

function gapsOf(timeZone: string, nowMs: number): Gap[] {
  const cached = gapsByZone.get(timeZone);
  // A day's drift of the clock changes nothing: the changes are yearly.
  if (cached && Math.abs(cached.fromMs - nowMs) < 86_400_000) return cached.gaps;
  const gaps: Gap[] = [];
  const fromMs = Math.floor(nowMs / 60_000) * 60_000;
  let before = offsetMs(fromMs, timeZone);
  for (let at = fromMs + STEP_MS; at <= fromMs + HORIZON_MS; at += STEP_MS) {
    const after = offsetMs(at, timeZone);
    if (after > before) gaps.push(gapAt(changeWithin(at - STEP_MS, at, timeZone), before, after));
    before = after;
  }
  gapsByZone.set(timeZone, { fromMs: nowMs, gaps });
  return gaps;
}

/** The first whole minute in (lowMs, highMs] with the later offset, by bisection. */
function changeWithin(lowMs: number, highMs: number, timeZone: string): number {
  const early = offsetMs(lowMs, timeZone);
  let low = lowMs;
  let high = highMs;
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (offsetMs(middle, timeZone) === early) low = middle;
    else high = middle;
  }
  return high;
}

function gapAt(changeMs: number, before: number, after: number): Gap {
  const localBefore = new Date(changeMs + before);
  return {
    fromMinute: localBefore.getUTCHours() * 60 + localBefore.getUTCMinutes(),
    minutes: Math.round((after - before) / 60_000),
    date: localBefore.toISOString().slice(0, 10),
  };
}
