import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportCsvConsentList } from '../../helpers/export-csv-selection';

// A CSV CRM file whose header holds opt-out columns (consent_withdrawn, bounced, unsubscribed), in
// any order, with lines of any width: a line narrower than the header (cut short by a writer still
// at work, a lost delimiter) lacks the cells it does not reach. An opt-out cell that is not there is
// not "not set": the row is never sent on it, and neither is any other row of the same person
// (docs/crm.md, "Conflicting rows"). Every row read ends in exactly one sink.

const REQUIRED = ['recipient_id', 'email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id'];
const OPT_OUTS = ['consent_withdrawn', 'bounced', 'unsubscribed'] as const;
const PEOPLE = ['anna@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com'];
/** Cells that clearly say "not set", as a CSV holds them. */
const NOT_SET = ['', '0', 'no', 'N', 'false', ' FALSE ', 'null'];
/** Cells that say "set", in the spellings CRMs use. */
const SET = ['1', 'yes', 'Y', 'true', 'TRUE', ' true ', 'ｙｅｓ', '2026-01-01', 'x'];

interface Line {
  person: number;
  entity: string;
  ownConsent: boolean;
  optOuts: Record<(typeof OPT_OUTS)[number], string>;
  /** How many trailing cells the line lacks. */
  cut: number;
}

const aLine: fc.Arbitrary<Line> = fc.record({
  person: fc.nat({ max: PEOPLE.length - 1 }),
  entity: fc.constantFrom('contact', 'lead'),
  ownConsent: fc.nat({ max: 4 }).map((n) => n > 0),
  optOuts: fc.record({
    consent_withdrawn: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...NOT_SET) }, fc.constantFrom(...SET)),
    bounced: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...NOT_SET) }, fc.constantFrom(...SET)),
    unsubscribed: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...NOT_SET) }, fc.constantFrom(...SET)),
  }),
  cut: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 4 })),
});

const aFile = fc.record({
  // Which opt-out columns the file has, and where they stand among the others.
  optOutColumns: fc.subarray([...OPT_OUTS], { minLength: 1 }),
  order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
  lines: fc.array(aLine, { minLength: 1, maxLength: 10 }),
  eol: fc.constantFrom('\n', '\r\n'),
  finalEol: fc.boolean(),
  /** Characters a file without a final line break lost at its end (a cut inside the last cell). */
  tailCut: fc.nat({ max: 3 }),
  /** An opt-out column last, where such a cut falls in it. */
  optOutLast: fc.boolean(),
  bom: fc.constantFrom('', '\uFEFF'),
  /** `lastLineWithoutEnd`: excluded, or read (its cut opt-out cell then stays unread). */
  lastLine: fc.constantFrom('exclude', 'read'),
});

function header(optOutColumns: readonly string[], order: readonly number[]): string[] {
  const columns = [...REQUIRED, 'first_name', ...optOutColumns];
  // A permutation drawn from the order numbers: any column may come last.
  return columns
    .map((c, i) => ({ c, key: order[i] ?? 0 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.c);
}

function cellsOf(line: Line, index: number, columns: readonly string[]): string[] {
  const email = PEOPLE[line.person] as string;
  const value: Record<string, string> = {
    recipient_id: email,
    email,
    opt_in_id: line.ownConsent ? '11' : '12',
    description: 'Newsletter',
    media_type: 'email',
    entity_type: line.entity,
    entity_id: `${line.entity[0]}${index}`,
    first_name: 'Anna',
    ...line.optOuts,
  };
  const cells = columns.map((c) => value[c] ?? '');
  // Two cells at least: a line of one empty cell is an empty line, which the reader skips.
  return cells.slice(0, Math.max(2, cells.length - line.cut));
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cs-csv-short-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a CSV CRM line narrower than its header', () => {
  it('never sends a person on an opt-out cell the line does not reach', async () => {
    await fc.assert(
      fc.asyncProperty(aFile, async ({ optOutColumns, order, lines, eol, finalEol, tailCut, optOutLast, bom, lastLine }) => {
        const permuted = header(optOutColumns, order);
        const lastOptOut = optOutColumns[0] as string;
        const columns = optOutLast ? [...permuted.filter((c) => c !== lastOptOut), lastOptOut] : permuted;
        const texts = lines.map((l, i) => cellsOf(l, i, columns).join(','));
        // A file without a final line break may have lost the end of its last line.
        const last = texts.length - 1;
        if (!finalEol) texts[last] = (texts[last] as string).slice(0, Math.max(3, (texts[last] as string).length - tailCut));
        const cells = texts.map((text) => text.split(','));
        const path = join(dir, 'selection.csv');
        writeFileSync(path, bom + [columns.join(','), ...texts].join(eol) + (finalEol ? eol : ''));
        const { counts, accepted, excluded } = await exportCsvConsentList(dir, path, { lastLineWithoutEnd: lastLine });
        expect(counts.rowsRead).toBe(lines.length);
        expect(accepted.length + excluded.length).toBe(lines.length);
        // Excluded, a last line without a line break is never sent (csv-cut-last-line.test.ts).
        if (!finalEol && lastLine === 'exclude') expect(accepted.map((a) => a.rowNumber)).not.toContain(lines.length);
        // A person is doubtful when a line of the list's consent and medium naming them, as written,
        // states an opt-out or lacks an opt-out cell; the last cell of a file without a final line break may
        // be a part of its value, so it says nothing.
        const doubtful = new Set(
          lines.flatMap((line, i) => {
            const own = cells[i] as string[];
            const said = !finalEol && i === last ? own.slice(0, -1) : own;
            const written = new Map(columns.map((c, at) => [c, said[at]]));
            if (written.get('opt_in_id') !== '11' || written.get('media_type') !== 'email') return [];
            // A line cut before its address and recipient id names nobody.
            if (written.get('email') === undefined && written.get('recipient_id') === undefined) return [];
            const says = optOutColumns.map((c) => written.get(c));
            return says.some((cell) => cell === undefined || !NOT_SET.includes(cell)) ? [PEOPLE[line.person]] : [];
          }),
        );
        expect(accepted.map((a) => a.recipient.email).filter((email) => doubtful.has(email))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
