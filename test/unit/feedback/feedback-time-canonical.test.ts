import fc from 'fast-check';
import { FUTURE_TOLERANCE_MS, parseFeedbackTime } from '../../../src/feedback/feedback-time';
import { formerParseFeedbackTime } from '../../helpers/former-feedback-time';
import { nearCanonicalTime } from '../../helpers/near-canonical-times';

// ClosedLoop's own form is checked without the regular expression and the Date of the strict reader
// (every bounce and unsubscribe row of response ingestion). For any text and any now, the answer,
// reason included, must be the former one's.

const NOW = Date.parse('2026-06-01T00:00:00Z');

describe('parseFeedbackTime on ClosedLoop’s own form', () => {
  it('gives exactly what the former reader gave', () => {
    const nowArb = fc.oneof(
      fc.integer({ min: NOW - 40 * 365 * 86_400_000, max: NOW + 90 * 365 * 86_400_000 }),
      // Now within a day or so of the times drawn: the future bound on both sides, to the millisecond.
      fc.constantFrom(
        ...['2026-06-01', '2025-12-31', '2000-01-01', '2100-02-28'].map((day) => Date.parse(`${day}T00:00:00Z`) - FUTURE_TOLERANCE_MS),
      ),
      fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }).map((delta) => Date.parse('2026-01-01T07:00:00Z') + delta),
    );
    fc.assert(
      fc.property(nearCanonicalTime, nowArb, (text, nowMs) => {
        expect(parseFeedbackTime(text, nowMs)).toEqual(formerParseFeedbackTime(text, nowMs));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a time more than a day ahead to the millisecond, and a time before 2000', () => {
    const at = '2026-06-02T00:00:00.000+00:00';
    expect(parseFeedbackTime(at, NOW)).toEqual({ ok: true, iso: '2026-06-02T00:00:00.000Z' });
    expect(parseFeedbackTime(at, NOW - 1)).toEqual({ ok: false, reason: 'more than a day in the future' });
    expect(parseFeedbackTime('1999-12-31T23:59:59.999Z', NOW)).toEqual({ ok: false, reason: 'before 2000-01-01' });
    expect(parseFeedbackTime('0050-01-01T00:00:00.000Z', NOW)).toEqual(formerParseFeedbackTime('0050-01-01T00:00:00.000Z', NOW));
  });
});
