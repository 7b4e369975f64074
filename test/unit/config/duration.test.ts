import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { durationSchema, MAX_DURATION_MS, MAX_TIMER_MS, parseDuration } from '../../../src/config/duration';
import { askOptions } from '../../../src/cli/commands/status';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// A duration setting ends in a timer or a schedule. `0s` is a timeout that fires at once (a held run
// rejected before anyone could look, an alert never delivered); `99999999999999999999d` is not a safe
// integer; anything above 2^31 - 1 ms makes Node's timers fire after 1 ms. Each is refused, naming
// the setting, instead of being read as something else.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits of a raw configuration document
type Raw = Record<string, any>;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const durationText = fc.oneof(
  fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.constantFrom('s', 'm', 'h', 'd')).map(([n, u]) => `${n}${u}`),
  fc.tuple(fc.nat({ max: 100 }), fc.constantFrom('s', 'm', 'h', 'd', 'ms', 'S', '')).map(([n, u]) => `${n}${u}`),
  fc.constantFrom('0s', '0000s', '1e3s', '-5m', '+5m', '1.5h', ' 10s', '10s ', '10s\n', '١٠s', '１０s', '10 s', '25d', '365d', '366d', ''),
  fc.string({ maxLength: 12 }),
);

describe('duration settings', () => {
  it('are read as exactly n × unit, at least 1s and at most a year, or refused', () => {
    fc.assert(
      fc.property(durationText, (text) => {
        const parsed = durationSchema.safeParse(text);
        const m = /^(\d+)(s|m|h|d)$/.exec(text);
        const exact = m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
        const acceptable = m !== null && m[1]!.length <= 9 && exact >= 1000 && exact <= MAX_DURATION_MS;
        expect(parsed.success).toBe(acceptable);
        if (parsed.success) {
          expect(parsed.data).toBe(exact);
          expect(Number.isSafeInteger(parsed.data)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('say the bounds when a value is outside them', () => {
    expect(parseDuration('0s')).toEqual({ ok: false, problem: 'a duration between 1s and 365d' });
    expect(parseDuration('11m', { maxMs: 600_000 })).toEqual({ ok: false, problem: 'a duration between 1s and 10m' });
    expect(parseDuration('2h')).toEqual({ ok: true, ms: 7_200_000 });
  });

  const settings: Array<[string, (config: Raw) => void, RegExp]> = [
    [
      'guard.approvalTimeout',
      (c) => (c.clients[0].lists[0].guard = { approvalTimeout: '0s' }),
      /lists\.0\.guard\.approvalTimeout: a duration between 1s and 365d/,
    ],
    ['alerts.timeout', (c) => (c.clients[0].alerts = { channels: [], timeout: '30d' }), /alerts\.timeout: a duration between 1s and 10m/],
    [
      'schedule.responsesEvery',
      (c) => (c.clients[0].schedule = { time: '05:00', responsesEvery: '0m' }),
      /schedule\.responsesEvery: a duration between 1m and 1d/,
    ],
    ['optimizelyBudget.lease', (c) => (c.optimizelyBudget = { lease: '99999999999999999999s' }), /optimizelyBudget\.lease: a duration/],
  ];
  it.each(settings)('%s: a value no timer can hold is refused naming the setting', (_, edit, problem) => {
    const raw = JSON.parse(JSON.stringify(demoConfig())) as Raw;
    edit(raw);
    let error: unknown;
    try {
      parseConfig(raw, 'test.json', '/tmp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(problem);
  });

  it('status --answer-timeout: every accepted value fits a timer; anything else is a usage error naming the option', () => {
    fc.assert(
      fc.property(durationText, (text) => {
        let ms: number | undefined;
        try {
          ms = askOptions(text).answerTimeoutMs;
        } catch (error) {
          expect((error as Error).message).toMatch(/^--answer-timeout must be /);
        }
        if (ms !== undefined) expect(ms >= 1000 && ms <= 600_000 && ms <= MAX_TIMER_MS).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
