import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CrmSelectionMalformedError } from '../../../src/errors/crm-selection-malformed-error';
import { exportCsvConsentList } from '../../helpers/export-csv-selection';

// A selection file whose data lines end in CR alone somewhere (a file appended to by an old Mac
// writer, a converter gone wrong, two exports concatenated) holds several records on one line to a
// reader of LF and CRLF lines. Found: that line was one malformed row (too_many_fields, or a stray
// quote's problem), and every record on it but none of the others was lost from the export: a list
// silently shorter by those people, under any maxMalformedPercent, since a single malformed line
// never fails the export. Such a file is now refused, naming the line, before the guard and the
// clear; a CR inside a quoted field is a value and stays one.

const HEADER = ['email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id', 'first_name', 'unsubscribed'];

interface Person {
  quoted: boolean[];
  name: string;
  stray: boolean;
}

const person = fc.record({
  quoted: fc.array(fc.boolean(), { minLength: HEADER.length, maxLength: HEADER.length }),
  // A name holding a CR (alone or before LF) inside its quotes is a value, not a line end.
  name: fc.constantFrom('Anna', 'An\rna', 'An\r\nna', 'Anna\r', 'O Brien'),
  stray: fc.boolean(),
});

function line({ quoted, name, stray }: Person, n: number, withStray: boolean): string {
  const cells = [`secret${n}@example.com`, '11', 'd', 'email', 'contact', `C${n}`, name, n % 3 === 0 ? '1' : '0'];
  return cells
    .map((cell, i) => {
      // A name with a CR is always quoted: unquoted, its CR is a line end (the property above).
      if (quoted[i] || cell.includes('\r')) return `"${cell}"`;
      return withStray && stray && i === 6 ? `O"${cell}` : cell;
    })
    .join(';');
}

const EOL = fc.constantFrom('\n', '\r\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csv-cr-data-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FORMAT = { delimiter: ';' };

async function exportFile(text: string) {
  const path = join(dir, 'selection.csv');
  writeFileSync(path, text);
  try {
    return await exportCsvConsentList(dir, path, {}, FORMAT);
  } catch (error) {
    return { error: error as Error };
  }
}

describe('CSV data lines ending in CR alone', () => {
  it('refuse the file naming the line, under any maxMalformedPercent, and never read it as a shorter list', async () => {
    const file = fc.record({
      people: fc.array(person, { minLength: 2, maxLength: 10 }),
      ends: fc.array(EOL, { minLength: 10, maxLength: 10 }),
      // Where a CR alone joins a record to the next, and how many it joins.
      crAt: fc.nat(),
      joined: fc.integer({ min: 1, max: 4 }),
      strayQuotes: fc.boolean(),
      finalEol: fc.constantFrom('', '\n', '\r\n'),
    });
    await fc.assert(
      fc.asyncProperty(file, async ({ people, ends, crAt, joined, strayQuotes, finalEol }) => {
        const from = crAt % (people.length - 1);
        const lines = people.map((p, n) => line(p, n, strayQuotes));
        let text = HEADER.join(';') + (ends[0] as string);
        lines.forEach((l, n) => {
          const cr = n >= from && n < from + joined && n < people.length - 1;
          text += l + (n === people.length - 1 ? finalEol : cr ? '\r' : (ends[n] as string));
        });
        const result = await exportFile(text);
        expect('error' in result).toBe(true);
        const error = (result as { error: Error }).error;
        expect(error).toBeInstanceOf(CrmSelectionMalformedError);
        expect(error.message).toMatch(/line \d+( field \d+)? holds a line break that is a CR alone/);
        expect(error.message).not.toMatch(/secret|Anna|Brien/);
      }),
      { numRuns: 150 },
    );
  });

  it('refuse a runaway line (over 1 MiB, its bytes not kept) that holds a CR alone, and read one ending in CRLF as one malformed line', async () => {
    const records = Array.from({ length: 30_000 }, (_, n) => line({ quoted: [], name: 'Anna', stray: false }, n, false));
    const joined = await exportFile(
      `${HEADER.join(';')}\n${line({ quoted: [], name: 'Anna', stray: false }, 0, false)}\n${records.join('\r')}\n`,
    );
    expect((joined as { error?: Error }).error?.message).toMatch(/line 3 holds a line break that is a CR alone/);
    const huge = await exportFile(
      `${HEADER.join(';')}\r\n${'x'.repeat(1_100_000)};a\r\n${line({ quoted: [], name: 'Anna', stray: false }, 1, false)}\r\n`,
    );
    expect('error' in huge).toBe(false);
    expect((huge as Awaited<ReturnType<typeof exportCsvConsentList>>).counts.excluded.malformed_row).toBe(1);
  });

  it('read a CR inside a quoted field as a value: every record is accounted for', async () => {
    const file = fc.record({
      people: fc.array(person, { minLength: 1, maxLength: 8 }),
      ends: fc.array(EOL, { minLength: 9, maxLength: 9 }),
    });
    await fc.assert(
      fc.asyncProperty(file, async ({ people, ends }) => {
        const text = [HEADER.join(';'), ...people.map((p, n) => line(p, n, false))].map((l, n) => l + (ends[n] as string)).join('');
        const result = await exportFile(text);
        expect('error' in result).toBe(false);
        const { counts, accepted } = result as Awaited<ReturnType<typeof exportCsvConsentList>>;
        expect(counts.rowsRead).toBe(people.length);
        expect(accepted.length + counts.excluded.unsubscribed).toBe(people.length);
      }),
      { numRuns: 100 },
    );
  });
});
