import fc from 'fast-check';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { CLOSED_LOOP_COLUMNS } from '../../../src/optimizely/api/closed-loop-columns';
import { pageClassifier, UNSETTLED } from '../../../src/responses/classify-response-page';
import { OUTCOMES } from '../../../src/responses/response-counts';
import { RESPONSE_GETTERS } from '../../../src/responses/response-rows';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// A ClosedLoop page is capped in bytes (8 MiB), a cell is not: one cell may hold megabytes. Such a
// row is no event: it is settled `invalid` before anything looks at its values (its mailing is not
// looked up in the CRM, its key not hashed, its URL never handed over), the page's other rows are
// classified exactly as without it, and the page costs time in proportion to its bytes.

const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const AT = new Date(UNTIL - 3_600_000).toISOString();
const INVALID = OUTCOMES.indexOf('invalid');

/** A row of the getter's columns with plausible values. */
function rowOf(columns: readonly string[], i: number): Row {
  const value: Record<string, string> = {
    recipientId: `p${i}@x.test`,
    mailingId: '1001',
    timestamp: AT,
    startTime: AT,
    recipientListId: '100',
    category: 'hardbounce',
    linkId: '7',
    linkUrl: 'https://e.test/a',
  };
  return columns.map((c) => value[c] ?? '');
}

/**
 * The columns a row is carried by (a mailing's time is its startTime); the category only decides the
 * kind, and an out-bounce of any category stays a hard bounce (response-bounce-category.test.ts).
 */
const readCells = (getter: string) => [
  'recipientId',
  'mailingId',
  getter === 'getMailings' ? 'startTime' : 'timestamp',
  'recipientListId',
  'linkId',
  'linkUrl',
];

const aPage = fc.record({
  getter: fc.constantFrom(...RESPONSE_GETTERS),
  rows: fc.integer({ min: 1, max: 20 }),
  /** Rows given an oversized cell: which row, which cell, how long (up to 2 MB), of what. */
  huge: fc.array(
    fc.record({
      row: fc.nat(),
      cell: fc.nat(),
      length: fc.oneof(fc.integer({ min: 8 * 1024 + 1, max: 64 * 1024 }), fc.integer({ min: 1_000_000, max: 2_000_000 })),
      char: fc.constantFrom('x', '1', ' ', '@', 'é'),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

describe('response rows with oversized cells', () => {
  it('are invalid, looked at no further, and leave the rest of the page as it was', () => {
    fc.assert(
      fc.property(aPage, ({ getter, rows: count, huge }) => {
        const columns: readonly string[] = CLOSED_LOOP_COLUMNS[getter];
        const rows = Array.from({ length: count }, (_, i) => rowOf(columns, i));
        // The cells a row is read by (a column nobody reads holds what it likes).
        const read = columns.flatMap((c, at) => (readCells(getter).includes(c) ? [at] : []));
        const oversized = new Set<number>();
        for (const h of huge) {
          const slot = h.row % count;
          (rows[slot] as string[])[read[h.cell % read.length] as number] = h.char.repeat(h.length);
          oversized.add(slot);
        }
        const started = performance.now();
        const page = pageClassifier(TWO_LIST_CLIENT, UNTIL)(getter, rows);
        expect(performance.now() - started).toBeLessThan(2_000);
        for (const slot of oversized) expect(page.settled[slot]).toBe(INVALID);
        const handedOn = [...page.engagements.slot, ...page.feedback.slot];
        expect(handedOn.filter((slot) => oversized.has(slot))).toEqual([]);
        expect(page.mailingIds.every((id) => id.length <= 1024)).toBe(true);
        expect(page.engagements.url.every((url) => url.length <= 8 * 1024)).toBe(true);
        expect(page.suppressions.recipientKey.every((key) => key.length <= 1024)).toBe(true);
        // The other rows: as in the page without the oversized ones.
        const kept = rows.filter((_, slot) => !oversized.has(slot));
        const alone = pageClassifier(TWO_LIST_CLIENT, UNTIL)(getter, kept);
        const others = [...page.settled].filter((_, slot) => !oversized.has(slot));
        expect(others).toEqual([...alone.settled]);
        expect(others.filter((s) => s === UNSETTLED).length).toBe(alone.engagements.slot.length + alone.feedback.slot.length);
      }),
      { numRuns: 60 },
    );
  });
});
