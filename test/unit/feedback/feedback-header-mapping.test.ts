import fc from 'fast-check';
import { feedbackColumnsSchema } from '../../../src/config/feedback-columns-schema';
import { FEEDBACK_COLUMNS, resolveHeader, type FeedbackColumnMapping } from '../../../src/feedback/feedback-columns';

// Header names an export job or a configuration might use: our own names, near misses and others.
const headerName = fc.oneof(
  fc.constantFrom(...FEEDBACK_COLUMNS, 'listId', ' listId ', 'ListID', '', '\uFEFFrecipientId'),
  fc.string({ maxLength: 4 }),
);
const mapping: fc.Arbitrary<FeedbackColumnMapping> = fc.record(
  Object.fromEntries(FEEDBACK_COLUMNS.map((column) => [column, headerName])) as Record<
    (typeof FEEDBACK_COLUMNS)[number],
    fc.Arbitrary<string>
  >,
  { requiredKeys: [] },
);
/** A mapping and a header: random cells, or the mapping's own names, each once, in any order. */
const mappingAndHeader = mapping.chain((m) =>
  fc.tuple(
    fc.constant(m),
    fc.oneof(
      fc.array(headerName, { maxLength: 7 }),
      fc.shuffledSubarray([...new Set(FEEDBACK_COLUMNS.map((c) => m[c] ?? c))], { minLength: 1 }),
    ),
  ),
);

describe('feedback header resolution', () => {
  it('reads every column from a header cell of its own name, or refuses the file', () => {
    fc.assert(
      fc.property(mappingAndHeader, ([columns, cells]) => {
        const resolved = resolveHeader(cells, columns);
        if (!resolved.ok) return;
        const positions = FEEDBACK_COLUMNS.map((column) => resolved.header.index[column]);
        expect(new Set(positions).size).toBe(FEEDBACK_COLUMNS.length);
        FEEDBACK_COLUMNS.forEach((column, i) => expect(cells[positions[i]!]!.trim()).toBe((columns[column] ?? column).trim()));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts in the configuration only mappings that leave every column a header of its own', () => {
    fc.assert(
      fc.property(mapping, (columns) => {
        const parsed = feedbackColumnsSchema.safeParse(columns);
        const names = FEEDBACK_COLUMNS.map((column) => (columns[column] ?? column).trim());
        const distinct = new Set(names).size === names.length && names.every((name) => name !== '');
        expect(parsed.success).toBe(distinct);
        if (!parsed.success) for (const issue of parsed.error.issues) expect(FEEDBACK_COLUMNS).toContain(issue.path[0]);
      }),
      { numRuns: 1000 },
    );
  });
});
