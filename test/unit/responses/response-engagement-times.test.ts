import fc from 'fast-check';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { EARLIEST_FEEDBACK_MS, FUTURE_TOLERANCE_MS, parseFeedbackTime } from '../../../src/feedback/feedback-time';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { OUTCOMES } from '../../../src/responses/response-counts';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// An open or click is dated as strictly as a bounce or an unsubscribe (src/feedback/feedback-time.ts):
// ISO 8601 with seconds and a zone, from 2000 on, at most a day after the window's end. Read by
// Date.parse instead (as before), a time without a zone was read in the worker's own time zone (two
// workers recording one open at two times, so the CRM's natural key took it twice), loose text such
// as `1` or `Dec 1` became some day of 2001, and a year like -1 or 275760 was handed to the CRM as
// `-000001-…` or `+275760-…`, which a CRM storing a timestamp refuses: its commit failed, and with it
// the window on every retry, so the client's responses stopped there until the data expired.

const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const INVALID = OUTCOMES.indexOf('invalid');
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Times a buggy or hostile ClosedLoop may write: loose, zone-less, out of range, or well-formed. */
const times = fc.oneof(
  fc.constantFrom(
    '1',
    'Dec 1 2026',
    '2026-05-31',
    '2026-05-31T10:00:00',
    '2026-05-31 10:00',
    '2026-05-31T10:00Z',
    '1999-12-31T23:59:59.000+00:00',
    '1970-01-01T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '9999-12-31T23:59:59.999+00:00',
    '2026-06-03T00:00:00.000+00:00',
    'Sun, 31 May 2026 10:00:00 GMT',
    '2026-05-31T10:00:00.000+00:00',
    '2026-05-31T12:00:00+02:00',
  ),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: UNTIL - 40 * 86_400_000, max: UNTIL + 3 * 86_400_000 }).map((ms) => new Date(ms).toISOString()),
  fc.string({ maxLength: 30 }),
);

const pages = fc.array(fc.record({ click: fc.boolean(), time: times }), { minLength: 1, maxLength: 30 });

describe('open and click times', () => {
  it('are handed on only as UTC ISO from 2000 to a day after the window; any other time is invalid', () => {
    fc.assert(
      fc.property(pages, (drawn) => {
        const classify = pageClassifier(TWO_LIST_CLIENT, UNTIL);
        for (const click of [false, true]) {
          const rows: Row[] = drawn
            .filter((d) => d.click === click)
            .map((d, i) =>
              click ? [`p${i}@x.test`, '1001', d.time, '100', '7', 'https://e.test/a'] : [`p${i}@x.test`, '1001', d.time, '100'],
            );
          if (rows.length === 0) continue;
          const page = classify(click ? 'getClicks' : 'getOpens', rows);
          page.engagements.occurredAt.forEach((iso, k) => {
            expect(iso).toMatch(TIME);
            const ms = Date.parse(iso);
            expect(ms).toBeGreaterThanOrEqual(EARLIEST_FEEDBACK_MS);
            expect(ms).toBeLessThanOrEqual(UNTIL + FUTURE_TOLERANCE_MS);
            // The instant the row's own text names.
            const slot = page.engagements.slot[k] as number;
            const strict = parseFeedbackTime(rows[slot]![2] as string, UNTIL);
            expect(strict).toEqual({ ok: true, iso });
          });
          rows.forEach((row, slot) => {
            if (!parseFeedbackTime(row[2] as string, UNTIL).ok) expect(page.settled[slot]).toBe(INVALID);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
