import { parseFeedbackTime } from '../../../src/feedback/feedback-time';

const NOW = Date.parse('2026-11-30T06:00:00Z');

describe('parseFeedbackTime', () => {
  it.each([
    ['2026-11-28T06:15:00.000+00:00', '2026-11-28T06:15:00.000Z'],
    ['2026-11-28T06:15:00Z', '2026-11-28T06:15:00.000Z'],
    ['2026-11-28 07:15:00+01:00', '2026-11-28T06:15:00.000Z'],
    ['2026-11-28T01:45:00.5-0430', '2026-11-28T06:15:00.500Z'],
    [' 2026-11-28T06:15:00.123456789Z ', '2026-11-28T06:15:00.123Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseFeedbackTime(text, NOW)).toEqual({ ok: true, iso });
  });

  it.each([
    ['', 'not an ISO 8601 time with seconds and zone'],
    ['2026-11-28T06:15:00', 'not an ISO 8601 time with seconds and zone'],
    ['2026-11-28T06:15Z', 'not an ISO 8601 time with seconds and zone'],
    ['1732774500000', 'not an ISO 8601 time with seconds and zone'],
    ['2026-02-29T06:15:00Z', 'not a calendar time'],
    ['2026-11-28T24:00:00Z', 'not a calendar time'],
    ['2026-11-28T06:15:00+15:00', 'zone offset out of range'],
    ['1970-01-01T00:00:00Z', 'before 2000-01-01'],
    ['2026-12-02T06:15:00Z', 'more than a day in the future'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseFeedbackTime(text, NOW)).toEqual({ ok: false, reason });
  });
});
