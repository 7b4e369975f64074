import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// A client's schedule is a local time in a zone, and Temporal starts the run at that local time.
// Refused at start, naming the setting, before any schedule is applied:
// - a time the zone skips on some night, of the daily run or of a list's readyBy (its check) (02:30 in Europe/Berlin the night summer time starts):
//   Temporal starts nothing that night (checked against the dev server: no action on 2027-03-28);
// - an offset or abbreviation written as a zone (Etc/GMT+1 is UTC-01:00, EST has no summer time).
// Loaded before: the demo's own 02:30 Europe/Berlin, and "EST" or "Etc/GMT+1".

const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
/** How far the zone's wall clock is ahead of UTC at `ms`, by Intl (the test's own reading). */
function offset(ms: number, zone: string): number {
  let format = formats.get(zone);
  if (!format) {
    const fields = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' } as const;
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', ...fields });
    formats.set(zone, format);
  }
  const f: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(ms))) f[part.type] = Number(part.value);
  return Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!) - Math.floor(ms / 60_000) * 60_000;
}

/** The first day within three years on which no instant shows hour:minute in the zone. */
function missingDay(hour: number, minute: number, zone: string, nowMs: number): string | undefined {
  const start = new Date(nowMs);
  for (let day = 0; day < 3 * 365; day++) {
    const wall = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + day, hour, minute);
    const early = offset(wall - 2 * DAY_MS, zone);
    const late = offset(wall + 2 * DAY_MS, zone);
    if (early === late) continue; // no change around this day (the day's own clock is the same both sides)
    const shown = [early, late, offset(wall, zone)].some((o) => wall - o + offset(wall - o, zone) === wall);
    if (!shown) return new Date(wall).toISOString().slice(0, 10);
  }
  return undefined;
}

const OFFSET_NAMES = fc.oneof(
  fc.constantFrom('EST', 'MST', 'HST'),
  fc
    .tuple(fc.constantFrom('Etc/GMT', 'GMT', 'Etc/UTC', 'UTC', 'UCT'), fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }))
    .map(([p, s, n]) => `${p}${s}${n}`),
);
const ZONES = fc.oneof(
  fc.constantFrom(...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC', 'GMT', 'CET', 'EST5EDT', 'US/Eastern'),
  OFFSET_NAMES,
);
const isOffsetName = (zone: string) => /[+-]\d/.test(zone) || ['EST', 'MST', 'HST'].includes(zone);
const pad = (n: number) => String(n).padStart(2, '0');

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw, 'test.json', '/tmp');
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('a schedule time and zone', () => {
  it('is refused naming the setting when the zone is an offset or the time is skipped on some night, else loaded', () => {
    fc.assert(
      fc.property(
        ZONES,
        fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
        fc.integer({ min: 0, max: 59 }),
        (timeZone, hour, minute) => {
          const raw = demoConfig() as { clients: Array<Record<string, unknown>> };
          raw.clients[0] = { ...raw.clients[0], schedule: { time: `${pad(hour)}:${pad(minute)}`, timeZone } };
          const problems = problemsOf(raw).join('\n');
          if (isOffsetName(timeZone)) {
            expect(problems).toMatch(/clients\.0\.schedule\.timeZone: .*(fixed offset|not an IANA time zone)/);
            return;
          }
          const missing = missingDay(hour, minute, timeZone, Date.now());
          if (missing === undefined) expect(problems).toBe('');
          else expect(problems).toMatch(/clients\.0\.schedule\.time: .*does not exist in .* on \d{4}-\d\d-\d\d/);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a readyBy the zone skips on some night naming it, else loads it', () => {
    fc.assert(
      fc.property(
        ZONES.filter((z) => !isOffsetName(z)),
        fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
        fc.integer({ min: 0, max: 59 }),
        (zone, hour, minute) => {
          const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
          raw.clients[0]!.lists[0]!.readyBy = `${pad(hour)}:${pad(minute)} ${zone}`;
          const problems = problemsOf(raw).join('\n');
          if (missingDay(hour, minute, zone, Date.now()) === undefined) expect(problems).toBe('');
          else expect(problems).toMatch(/clients\.0\.lists\.0\.readyBy: .*does not exist in .* on \d{4}-\d\d-\d\d/);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses an offset written as the zone of a list readyBy naming it', () => {
    fc.assert(
      fc.property(OFFSET_NAMES, (zone) => {
        const raw = demoConfig() as { clients: Array<{ lists: Array<Record<string, unknown>> }> };
        raw.clients[0]!.lists[0]!.readyBy = `06:00 ${zone}`;
        expect(problemsOf(raw).join('\n')).toMatch(/clients\.0\.lists\.0\.readyBy: .*(fixed offset|not an IANA time zone)/);
      }),
    );
  });

  it.each([
    ['02:30', 'Europe/Berlin', /schedule\.time: 02:30 does not exist in Europe\/Berlin on 20\d\d-03-\d\d/],
    ['02:00', 'America/New_York', /schedule\.time: 02:00 does not exist in America\/New_York on 20\d\d-03-\d\d/],
    ['03:30', 'EST', /schedule\.timeZone: "EST" is a fixed offset/],
    ['03:30', 'Etc/GMT+1', /schedule\.timeZone: "Etc\/GMT\+1" is a fixed offset.*inverted/],
  ])('%s %s is refused at start', (time, timeZone, problem) => {
    const raw = demoConfig() as { clients: Array<Record<string, unknown>> };
    raw.clients[0] = { ...raw.clients[0], schedule: { time, timeZone } };
    expect(problemsOf(raw).join('\n')).toMatch(problem);
  });
});
