import { planResponseWindows, type WindowPlanInput } from '../../../src/responses/response-windows';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-30T12:00:00Z');
const input = (overrides: Partial<WindowPlanInput> = {}): WindowPlanInput => ({
  watermark: undefined,
  serverNow: NOW,
  overlapMs: HOUR,
  retentionMs: 30 * DAY,
  lagMarginMs: 3 * DAY,
  windowMs: DAY,
  ...overrides,
});

describe('planResponseWindows', () => {
  it('reads back as far as data lives on a first run, without calling it lagging', () => {
    const plan = planResponseWindows(input());
    expect(plan).toMatchObject({ since: NOW - 30 * DAY, until: NOW, lagging: false, lostBeforeMs: 0 });
    expect(plan.windows).toHaveLength(30);
  });

  it('starts an overlap before the watermark and ends at server time', () => {
    const plan = planResponseWindows(input({ watermark: new Date(NOW - 2 * HOUR).toISOString() }));
    expect(plan.windows).toEqual([{ since: NOW - 3 * HOUR, until: NOW }]);
    expect(plan.lagging).toBe(false);
  });

  it('cuts a three-day catch-up into contiguous windows of at most a day', () => {
    const plan = planResponseWindows(input({ watermark: new Date(NOW - 3 * DAY).toISOString() }));
    expect(plan.windows).toHaveLength(4);
    plan.windows.slice(1).forEach((w, i) => expect(w.since).toBe(plan.windows[i]?.until));
    expect(plan.windows[0]?.since).toBe(NOW - 3 * DAY - HOUR);
    expect(plan.windows.at(-1)?.until).toBe(NOW);
  });

  it('flags a watermark whose data expires within the margin as lagging, with nothing lost yet', () => {
    const plan = planResponseWindows(input({ watermark: new Date(NOW - 28 * DAY).toISOString() }));
    expect(plan).toMatchObject({ lagging: true, lostBeforeMs: 0 });
  });

  it('reports the span older than the retention as lost and reads from the oldest data held', () => {
    const watermark = NOW - 32 * DAY;
    const plan = planResponseWindows(input({ watermark: new Date(watermark).toISOString() }));
    expect(plan).toMatchObject({ lagging: true, lostBeforeMs: 2 * DAY + HOUR, lostSince: watermark - HOUR, since: NOW - 30 * DAY });
  });

  it('plans no window when the watermark is at server time and nothing overlaps', () => {
    expect(planResponseWindows(input({ watermark: new Date(NOW).toISOString(), overlapMs: 0 })).windows).toEqual([]);
  });
});
