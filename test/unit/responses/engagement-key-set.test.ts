import fc from 'fast-check';
import { EngagementKeySet } from '../../../src/responses/engagement-key-set';
import type { ResponseRow } from '../../../src/responses/response-rows';

// Opens and clicks are de-duplicated within a window by a 96-bit hash of their parts
// (engagement-key-set.ts) instead of SHA-1. Whether a row is new must be what a Set of the parts
// joined by NUL (the text eventKey hashes) says: rows repeated, rows one character apart, parts
// holding NUL (so that two rows join to the same text), any Unicode, at every size of the set.

const joined = (r: ResponseRow) =>
  [r.kind, r.recipientId, r.timestamp, r.mailingId, r.category.replace('bounce', ''), r.linkId, r.linkUrl].join('\u0000');

const part = (...plausible: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...plausible), weight: 6 },
    { arbitrary: fc.string({ unit: fc.constantFrom('\u0000', 'a', 'é', '𝒜', '\uD800', ' '), maxLength: 4 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 1 },
  );
const rowArb: fc.Arbitrary<ResponseRow> = fc.record({
  kind: fc.constantFrom('open' as const, 'click' as const),
  recipientId: part('anna@x.test', 'ben@x.test', 'anna@x.test\u0000'),
  mailingId: part('1001', '2001', ''),
  timestamp: part('2026-06-01T10:00:00.000Z', '2026-06-01T10:00:01.000Z'),
  recipientListId: part('100', ''),
  category: part('', 'bounce', 'softbounce'),
  linkId: part('1', '2', ''),
  linkUrl: part('https://e.test/a', 'https://e.test/b', ''),
});

/** Rows drawn again, rows with one part changed by a character, new rows. */
const rowsArb = fc.array(rowArb, { minLength: 1, maxLength: 30 }).chain((pool) =>
  fc.array(
    fc.oneof(
      fc.constantFrom(...pool),
      fc
        .tuple(
          fc.constantFrom(...pool),
          fc.constantFrom<keyof ResponseRow>('recipientId', 'timestamp', 'linkUrl'),
          fc.string({ maxLength: 1 }),
        )
        .map(([row, field, ch]) => ({ ...row, [field]: `${row[field]}${ch}` })),
      rowArb,
    ),
    { maxLength: 400 },
  ),
);

function sameAsJoinedSet(rows: readonly ResponseRow[]): void {
  const texts = new Set<string>();
  const keys = new EngagementKeySet();
  for (const row of rows) {
    const text = joined(row);
    expect(keys.add(row)).toBe(!texts.has(text));
    texts.add(text);
    expect(keys.size).toBe(texts.size);
  }
}

describe('EngagementKeySet', () => {
  it('tells an open or click seen before exactly as a Set of its joined parts does', () => {
    fc.assert(fc.property(rowsArb, sameAsJoinedSet), { numRuns: 300 });
  });

  it('keeps 100,000 distinct opens and clicks of one busy window apart (no collision), each one seen again as such', () => {
    const rows: ResponseRow[] = [];
    for (let i = 0; i < 100_000; i += 1)
      rows.push({
        kind: i % 3 === 0 ? 'click' : 'open',
        // Alike but for a few characters: addresses and times of one window, two mailings, a few links.
        recipientId: `r${i % 20_000}@example.test`,
        mailingId: String(1001 + (i % 2)),
        timestamp: `2026-06-01T${String(Math.floor(i / 4_200) % 24).padStart(2, '0')}:${String(Math.floor(i / 209) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
        recipientListId: '100',
        category: '',
        linkId: i % 3 === 0 ? String(i % 7) : '',
        linkUrl: i % 3 === 0 ? `https://e.test/${i % 7}` : '',
      });
    const distinct = new Set(rows.map(joined)).size;
    const keys = new EngagementKeySet();
    let added = 0;
    for (const row of rows) if (keys.add(row)) added += 1;
    expect(added).toBe(distinct);
    for (const row of rows.slice(0, 1000)) expect(keys.add(row)).toBe(false);
  });
});
