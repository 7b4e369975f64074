import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportCsvSelection } from '../../helpers/export-csv-selection';

// A CSV selection as hostile as a hand-edited export gets: a BOM (or two), LF, CRLF or lone-CR line
// ends, header cells renamed, repeated, dropped, padded or re-cased, and values of any Unicode with
// control characters, NUL, BOMs and line breaks, some huge. Every value carries SECRET: it must never
// reach an error or an exclusion's reason or field. The export either accounts for every row it read, or refuses the
// file as a whole with one of the CRM's own permanent errors.

const COLUMNS = ['recipient_id', 'email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id', 'first_name'];
const REFUSALS = ['CrmSelectionHeaderError', 'CrmSelectionColumnsError', 'CrmSelectionMalformedError'];

const hostileChar = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\r',
  '\n',
  '\uFEFF',
  '\u2028',
  '"',
  ',',
  ';',
  '\t',
  ' ',
  'é',
  '𝒜',
  '\uD800',
  'A',
  '@',
);
const value = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: hostileChar, maxLength: 12 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 3, arbitrary: fc.emailAddress() },
    // Huge: one character repeated, cheap to generate (a string of 70,000 arbitrary units is not).
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ unit: hostileChar, minLength: 1, maxLength: 3 }), fc.integer({ min: 20_000, max: 70_000 }))
        .map(([c, n]) => c.repeat(n)),
    },
  )
  .map((s) => `SECRET${s}`);
const cell = value.chain((v) => fc.constantFrom(v, `"${v.replace(/"/g, '""')}"`));
const row = fc.array(cell, { minLength: 0, maxLength: COLUMNS.length + 2 }).map((cells) => cells.join(','));

type HeaderEdit = 'none' | 'rename' | 'repeat' | 'drop' | 'pad' | 'upper' | 'quote';
const header = fc
  .tuple(fc.constantFrom<HeaderEdit>('none', 'rename', 'repeat', 'drop', 'pad', 'upper', 'quote'), fc.nat(COLUMNS.length - 1))
  .map(([edit, at]) => {
    const cells = [...COLUMNS];
    const name = cells[at] as string;
    if (edit === 'rename') cells[at] = `${name}_x`;
    if (edit === 'repeat') cells.push(name);
    if (edit === 'drop') cells.splice(at, 1);
    if (edit === 'pad') cells[at] = ` ${name} `;
    if (edit === 'upper') cells[at] = name.toUpperCase();
    if (edit === 'quote') cells[at] = `"${name}"`;
    return { edit, text: cells.join(',') };
  });
const file = fc.record({
  bom: fc.constantFrom('', '\uFEFF', '\uFEFF\uFEFF'),
  header,
  rows: fc.array(row, { maxLength: 12 }),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  finalEol: fc.boolean(),
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-csv-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV selection over hostile files', () => {
  it('accounts for every row read or refuses the file with a CRM error, and no value reaches an error or exclusion', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 0, max: 100 }), async ({ bom, header: head, rows, eol, finalEol }, maxMalformedPercent) => {
        // A header as it should be (one BOM at most, cells plain or quoted, lines ending in LF or CRLF) is read.
        const readableHeader = ['none', 'quote'].includes(head.edit) && bom.length <= 1 && eol !== '\r';
        const path = join(dir, 'selection.csv');
        writeFileSync(path, bom + [head.text, ...rows].join(eol) + (finalEol ? eol : ''));
        const { counts, error, accepted, excluded } = await exportCsvSelection(dir, path, maxMalformedPercent);
        if (counts) {
          expect(counts.rowsRead).toBe(accepted + excluded.length);
          expect(counts.accepted).toBe(accepted);
        } else {
          expect(REFUSALS).toContain(error?.name);
          if (readableHeader) expect(error?.name).toBe('CrmSelectionMalformedError');
          expect(error?.message).not.toMatch(/SECRET/);
        }
        // One expect over all exclusions: a file of line breaks holds tens of thousands of rows.
        // The ledger keeps the recipient id of an exclusion (it is the claim-check); reason and field never hold a value.
        const leaks = excluded.filter(
          (e) => /SECRET/.test(`${e.reason} ${e.field}`) || typeof e.rowNumber !== 'number' || typeof e.field !== 'string',
        );
        expect(leaks.slice(0, 3)).toEqual([]);
      }),
      { numRuns: 80 },
    );
    // Draws with a huge value of line breaks read as tens of thousands of rows (up to ~12 s a draw on
    // a loaded machine); 80 draws took over the default 120 s there once. Run time is linear in the rows.
  }, 300_000);
});
