import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { selectionColumns } from '../../../src/validation/validate-row';
import { exportCsvConsentList } from '../../helpers/export-csv-selection';

// A CSV CRM line with more fields than its header: an unquoted delimiter in a name (`Doe, Jane`), a
// column the writer added, a shifted export. Its cells after the extra delimiters stand in the wrong
// columns, so the line is never read: it is excluded as `malformed_row`, naming its line and the first
// field beyond the header. But the opt-out it states is not lost with it: the person's clean twin is
// never sent on it, wherever the extra delimiters fell (docs/crm.md, "Reading an exchange file").

const OPT_OUTS = ['consent_withdrawn', 'bounced', 'unsubscribed'];
const COLUMNS = [...selectionColumns({ first_name: 'firstname' }), ...OPT_OUTS];
const PEOPLE = ['anna@example.com', 'bob@example.com', 'cy@example.com'];
const SET = ['1', 'yes', 'TRUE', 'ja', '2026-01-01'];
const NOT_SET = ['', '0', 'no', 'false'];

const aLine = fc.record({
  person: fc.nat({ max: PEOPLE.length - 1 }),
  entity: fc.constantFrom('contact', 'lead'),
  ownConsent: fc.nat({ max: 4 }).map((n) => n > 0),
  optOut: fc.option(fc.record({ column: fc.constantFrom(...OPT_OUTS), value: fc.constantFrom(...SET) }), { freq: 3 }),
  notSet: fc.constantFrom(...NOT_SET),
  firstName: fc.constantFrom('Anna', 'Doe Jane', ''),
  /** Delimiters a writer left unquoted in cells (which cell, where in it): each makes the line one field wider. */
  splits: fc.oneof(
    { weight: 2, arbitrary: fc.constant([]) },
    fc.array(fc.record({ cell: fc.nat(), at: fc.nat() }), { minLength: 1, maxLength: 4 }),
  ),
});
type Line = typeof aLine extends fc.Arbitrary<infer T> ? T : never;

function trueCells(line: Line, index: number, columns: readonly string[]): string[] {
  const email = PEOPLE[line.person] as string;
  const value: Record<string, string> = {
    recipient_id: email,
    email,
    opt_in_id: line.ownConsent ? '11' : '12',
    description: 'News',
    media_type: 'email',
    entity_type: line.entity,
    entity_id: `${line.entity[0]}${index}`,
    first_name: line.firstName,
  };
  return columns.map((c) => value[c] ?? (line.optOut?.column === c ? line.optOut.value : line.notSet));
}

/** The cells with the delimiters the writer left in them unquoted: what the line truly says. */
function withDelimiters(cells: readonly string[], splits: Line['splits']): string[] {
  const out = [...cells];
  for (const { cell, at } of splits) {
    const i = cell % out.length;
    const text = out[i] as string;
    const p = at % (text.length + 1);
    out[i] = `${text.slice(0, p)},${text.slice(p)}`;
  }
  return out;
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cs-csv-wide-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a CSV CRM line wider than its header', () => {
  it('is excluded naming line and field, never read shifted, and its opt-out still wins for the person', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(COLUMNS, { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
        fc.array(aLine, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('\n', '\r\n'),
        async (columns, lines, eol) => {
          const path = join(dir, 'selection.csv');
          const cells = lines.map((line, i) => withDelimiters(trueCells(line, i, columns), line.splits));
          writeFileSync(path, [columns.join(','), ...cells.map((c) => c.join(','))].join(eol) + eol);
          const { counts, accepted, excluded } = await exportCsvConsentList(dir, path);
          expect(accepted.length + excluded.length).toBe(counts.rowsRead);
          const wide = lines.flatMap((line, i) => (line.splits.length > 0 ? [i + 1] : []));
          // Row n is on line n + 1 (the header is line 1).
          expect(excluded.filter((e) => wide.includes(e.rowNumber))).toEqual(
            wide.map((row) => ({
              rowNumber: row,
              reason: 'malformed_row',
              field: `line ${row + 1} field ${COLUMNS.length + 1} (too_many_fields)`,
            })),
          );
          expect(accepted.filter((a) => wide.includes(a.rowNumber))).toEqual([]);
          const withdrawn = new Set(
            lines.flatMap((line, i) => {
              const said = new Map(columns.map((c, at) => [c, (cells[i] as string[])[at]]));
              // Set is anything but a clear "not set" (`1,` and `n,o` included), as validation reads it.
              const stated = OPT_OUTS.some((c) => !['', '0', 'no', 'false'].includes(said.get(c) ?? ''));
              const own = said.get('opt_in_id') === '11' && said.get('media_type') === 'email';
              return wide.includes(i + 1) && stated && own ? [said.get('email'), said.get('recipient_id')] : [];
            }),
          );
          expect(accepted.map((a) => a.recipient.email).filter((email) => withdrawn.has(email))).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays one reading per distinct cell value: a line of a million delimiters costs no memory', async () => {
    const path = join(dir, 'selection.csv');
    const line = `anna@example.com,anna@example.com,11,email,contact,c1,News,Anna,1${','.repeat(1_000_000 - 100)}`;
    writeFileSync(path, `${COLUMNS.join(',')}\n${line}\nanna@example.com,anna@example.com,11,email,lead,l2,News,Anna,0,0,0\n`);
    const { accepted, excluded } = await exportCsvConsentList(dir, path);
    expect(accepted).toEqual([]);
    expect(excluded.map((e) => e.reason)).toEqual(['malformed_row', 'consent_withdrawn']);
  });
});
