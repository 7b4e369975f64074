import fc from 'fast-check';
import { MAX_FEEDBACK_CELL } from '../../../src/feedback/feedback-row';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { packPage } from '../../../src/responses/ingest-thread/packed-page';
import { MAX_RESPONSE_URL, RESPONSE_GETTERS } from '../../../src/responses/response-rows';
import { formerPageClassifier } from '../../helpers/former-classify-response-page';
import { formerPackPage } from '../../helpers/former-packed-page';
import { hostileText } from '../../helpers/hostile-text';
import { nearCanonicalTime } from '../../helpers/near-canonical-times';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// Classification on the reading thread was rewritten for CPU: ClosedLoop's time form read by its
// characters, one look-up of the window's key set (kept as bits, event-key-set.ts), no object per
// feedback candidate or suppression event, typed columns filled in place, packing spelled out. For any
// window of pages of any getters (hostile and oversized cells, times at and past every bound, rows
// repeated within and across pages), every page must come out exactly as the former code classified
// and packed it: kinds, outcomes, mailings, columns (their types too), keys, suppression events.

const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const cell = (...plausible: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...plausible), weight: 8 },
    { arbitrary: hostileText, weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
  );
const oversized = fc.constantFrom('x'.repeat(MAX_FEEDBACK_CELL + 1), 'u'.repeat(MAX_RESPONSE_URL + 1), 'x'.repeat(MAX_FEEDBACK_CELL));
const rowArb: fc.Arbitrary<Row> = fc
  .tuple(
    cell('anna@x.test', 'Ben@X.test', ' cleo@x.test ', 'ＡＮＮＡ@x.test', '\u200b', ' ', '\u3000', ''),
    cell('1001', '2001', ''),
    fc.oneof({ arbitrary: nearCanonicalTime, weight: 9 }, { arbitrary: fc.constant(null), weight: 1 }),
    cell('100', '200', '0', '-1', ' 100 ', '1e2', '007', '1234567890123456', 'abc', ''),
    cell('hardbounce', 'softbounce', 'HardBounce', ' soft bounce ', 'autoresponder', 'unknown', '7', ''),
    cell('1', '2', ''),
    cell('https://e.test/a', 'https://e.test/b', ''),
  )
  .chain((row) =>
    fc.oneof(
      { arbitrary: fc.constant(row as Row), weight: 9 },
      // A cell past its bound, anywhere in the row.
      { arbitrary: fc.tuple(fc.nat(6), oversized).map(([at, text]) => row.map((c, i) => (i === at ? text : c)) as Row), weight: 1 },
    ),
  );
const windowArb = fc.array(
  fc.record({
    getter: fc.constantFrom(...RESPONSE_GETTERS),
    rows: fc.array(rowArb, { maxLength: 25 }).chain((rows) => fc.shuffledSubarray([...rows, ...rows], { minLength: rows.length })),
  }),
  { minLength: 1, maxLength: 5 },
);

describe('classification rewritten for CPU', () => {
  it('classifies and packs every page of any window exactly as the former code', () => {
    fc.assert(
      fc.property(windowArb, fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }), (pages, skew) => {
        // Each getter lays its cells out its own way: the same row array is read differently per getter.
        const nowMs = UNTIL + skew;
        const [classify, former] = [pageClassifier(TWO_LIST_CLIENT, nowMs), formerPageClassifier(TWO_LIST_CLIENT, nowMs)];
        for (const { getter, rows } of pages) {
          const page = classify(getter, rows);
          const expected = former(getter, rows);
          expect(page).toStrictEqual(expected);
          expect(packPage(page)).toStrictEqual(formerPackPage(expected));
        }
      }),
      { numRuns: 600 },
    );
  });
});
