import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { readCsvLines } from '../../../src/crm/csv/csv-lines';
import { readCsvRecords, type CsvRecord } from '../../../src/crm/csv/csv-records';
import { exportCsvSelection } from '../../helpers/export-csv-selection';

// Files built from good and broken lines. Every value holds the marker SECRET, so a value that
// leaks into an error or a ledger field is seen.

const COLUMNS = ['recipient_id', 'email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id', 'first_name'];
const DIALECT = { delimiter: ',', quote: '"', escape: '"' };

const plain = fc.stringMatching(/^[a-z0-9 .@-]{0,8}$/).map((s) => `SECRET${s}`);
const tricky = fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'three\r\nlines\n!', '', ' ').map((s) => `SECRET${s}`);
const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
const goodField = fc.oneof(plain, tricky.map(quote), plain.map(quote));
const goodRecord = fc.array(goodField, { minLength: 1, maxLength: COLUMNS.length }).map((fields) => fields.join(','));

const brokenLine = fc.oneof(
  plain.map((v) => `${v},SECRET"stray,x`),
  plain.map((v) => `"${v}"tail,x`),
  plain.map((v) => `x,"${v}`),
  fc.constant(
    `${Array(COLUMNS.length + 2)
      .fill('SECRET')
      .join(',')}`,
  ),
);
const line = fc.oneof(
  { weight: 5, arbitrary: goodRecord },
  { weight: 2, arbitrary: brokenLine },
  { weight: 1, arbitrary: fc.constant('') },
);
const file = fc.tuple(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean());

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-csv-props-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write([lines, eol, finalEol]: [string[], string, boolean]): string {
  const path = join(dir, 'selection.csv');
  writeFileSync(path, [COLUMNS.join(','), ...lines].join(eol) + (finalEol ? eol : ''));
  return path;
}

async function records(path: string): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsvRecords(readCsvLines(path, 'utf8'), DIALECT)) out.push(r);
  return out;
}

describe('CSV selection over generated files', () => {
  it('puts every non-empty line in exactly one record or one malformed line, in order', async () => {
    await fc.assert(
      fc.asyncProperty(file, async (spec) => {
        const path = write(spec);
        const text = [COLUMNS.join(','), ...spec[0]].join(spec[1]);
        const physical = text.split('\n');
        const nonEmpty = physical.map((l, i) => (l === '' || l === '\r' ? 0 : i + 1)).filter((n) => n > 0);
        const covered: number[] = [];
        const all = await records(path);
        for (const r of all) {
          for (let n = r.firstLine; n <= r.lastLine; n += 1) covered.push(n);
          if (!r.ok) expect(r.lastLine).toBe(r.firstLine);
        }
        // Empty lines inside a quoted field belong to its record; empty lines between records to none.
        expect(covered).toEqual([...new Set(covered)].sort((a, b) => a - b));
        expect(nonEmpty.filter((n) => !covered.includes(n))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('reads back exactly the fields of files without broken lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(goodField, { minLength: 1, maxLength: 4 }), { maxLength: 15 }),
        fc.constantFrom('\n', '\r\n'),
        async (rows, eol) => {
          const path = write([rows.map((fields) => fields.join(',')), eol, true]);
          const expected = rows.map((fields) => fields.map((f) => (f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f)));
          const got = (await records(path)).slice(1);
          expect(got.every((r) => r.ok)).toBe(true);
          expect(got.map((r) => (r.ok ? r.fields : []))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accounts for every row through the export and never puts a value into an exclusion or an error', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 0, max: 100 }), async (spec, maxMalformedPercent) => {
        const { counts, error, accepted, excluded } = await exportCsvSelection(dir, write(spec), maxMalformedPercent);
        if (counts) expect(counts.rowsRead).toBe(accepted + excluded.length);
        else {
          expect(error?.name).toBe('CrmSelectionMalformedError');
          expect(error?.message).not.toMatch(/SECRET/);
        }
        for (const e of excluded.filter((x) => x.reason === 'malformed_row')) {
          expect(e).toEqual({
            rowNumber: expect.any(Number),
            reason: 'malformed_row',
            field: expect.stringMatching(/^line \d+( field \d+)? \([a-z_]+\)$/),
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reads the same rows whatever the file calls and orders its columns, once they are mapped', async () => {
    const value = fc.stringMatching(/^[a-z0-9@.]{1,6}$/);
    const rename = fc.constantFrom('', 'X-', 'crm.', 'Feld ');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(...COLUMNS.map(() => value)), { minLength: 1, maxLength: 5 }),
        fc.shuffledSubarray(
          COLUMNS.map((_, i) => i),
          { minLength: COLUMNS.length, maxLength: COLUMNS.length },
        ),
        fc.array(rename, { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
        fc.boolean(),
        async (rows, order, prefixes, withoutId) => {
          const used = order.filter((i) => !(withoutId && COLUMNS[i] === 'recipient_id'));
          const theirs = (i: number) => (prefixes[i] ? `${prefixes[i]}${COLUMNS[i]}` : (COLUMNS[i] as string));
          const columns = Object.fromEntries(used.filter((i) => prefixes[i]).map((i) => [theirs(i), COLUMNS[i] as string]));
          const path = join(dir, 'mapped.csv');
          // Ended by a line break: a last line without one is excluded (csv-cut-last-line.test.ts).
          writeFileSync(path, [used.map(theirs).join(','), ...rows.map((r) => used.map((i) => r[i]).join(',')), ''].join('\n'));
          const config = crmConfigSchema.parse({
            kind: 'csv',
            outbox: dir,
            lists: { l: { file: path, attributes: { first_name: 'firstname' }, columns } },
          }) as CsvCrmConfig;
          const got = [];
          for await (const row of openCsvCrm(config).exportSelection('l')) got.push(row);
          const expected = rows.map((r) => {
            const ours = Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]]));
            if (withoutId) ours.recipient_id = ours.email;
            return ours;
          });
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
