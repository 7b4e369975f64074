import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { writeExchangeFile } from '../../../src/crm/csv/write-exchange-file';
import { unescapeFormulaCell } from '../../../src/csv/formula-cells';

// The outbox the CRM imports is also a file people open: a click URL or entity id from outside that
// starts a formula is written with a leading apostrophe, and stripping it gives the value back.

const FORMAT = { delimiter: ';', encoding: 'utf8', bom: false, quote: '"', escape: '"' } as const;
let outbox: string;
beforeEach(() => {
  outbox = mkdtempSync(join(tmpdir(), 'cs-outbox-'));
});
afterEach(() => rmSync(outbox, { recursive: true, force: true }));

function readBack(): string[][] {
  const [file] = readdirSync(outbox);
  return parse(readFileSync(join(outbox, file!), 'utf8'), { delimiter: ';' }) as string[][];
}

describe('writeExchangeFile', () => {
  it('escapes formula cells and leaves numbers and ordinary text alone', async () => {
    const rows = [
      ['click', '=HYPERLINK("http://evil.example","x")', -5, 'C1'],
      ['open', '@SUM(1,2)', 1, "'quoted"],
    ];
    await writeExchangeFile(outbox, 'responses', ['kind', 'url', 'n', 'entity_id'], rows, FORMAT);
    expect(readBack()).toEqual([
      ['kind', 'url', 'n', 'entity_id'],
      ['click', '\'=HYPERLINK("http://evil.example","x")', '-5', 'C1'],
      ['open', "'@SUM(1,2)", '1', "''quoted"],
    ]);
  });

  it('gives every text value back exactly once the importer strips the escape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }),
        async (rows) => {
          rmSync(outbox, { recursive: true, force: true });
          await writeExchangeFile(outbox, 'feedback', ['a', 'b'], rows, FORMAT);
          const [, ...back] = readBack();
          expect(back.map((row) => row.map(unescapeFormulaCell))).toEqual(rows);
        },
      ),
      { numRuns: 200 },
    );
  });
});
