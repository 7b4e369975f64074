import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';

// A CSV CRM configured with an escape character other than the quote (`"escape": "\\"`) writes, like
// csv-stringify and csv-parse, a backslash in a quoted field as `\\`. The selection reader took only
// `\"` as an escape: `O\Brien` arrived as `O\\Brien` (sent so, every day), and `C:\` as `"C:\\"`
// swallowed its closing quote, so the whole line was malformed and the recipient left out.

const COLUMNS = [
  'recipient_id',
  'email',
  'opt_in_id',
  'description',
  'media_type',
  'entity_type',
  'entity_id',
  'first_name',
  'unsubscribed',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csv-escape-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(escape: string, delimiter: string, quoted: boolean, cells: string[][]): Promise<unknown[]> {
  const file = join(dir, 'selection.csv');
  const rows = cells.map((c, n) => [`p${n}@x.com`, `p${n}@x.com`, '11', c[0]!, 'email', 'contact', String(n), c[1]!, c[2]!]);
  writeFileSync(file, stringify([COLUMNS, ...rows], { escape, delimiter, quoted, record_delimiter: '\n' }));
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox: dir,
    format: { escape, delimiter },
    lists: { l: { file, attributes: { first_name: 'firstname' }, maxMalformedPercent: 100 } },
  }) as CsvCrmConfig;
  const got: unknown[] = [];
  for await (const row of openCsvCrm(config).exportSelection('l')) got.push(row);
  return got;
}

const cell = fc.string({ unit: fc.constantFrom('\\', '"', ',', ';', '\n', 'a', ' ', 'é'), maxLength: 8 });

describe('a CSV selection written with an escape character other than the quote', () => {
  it('reads back every cell as written, backslashes, quotes, delimiters and line breaks included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('\\', '"'),
        fc.constantFrom(',', ';'),
        fc.boolean(),
        fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 5 }),
        async (escape, delimiter, quoted, cells) => {
          const got = await readBack(escape, delimiter, quoted, cells);
          expect(got).toEqual(
            cells.map((c, n) => ({
              recipient_id: `p${n}@x.com`,
              email: `p${n}@x.com`,
              opt_in_id: '11',
              description: c[0],
              media_type: 'email',
              entity_type: 'contact',
              entity_id: String(n),
              first_name: c[1],
              unsubscribed: c[2],
            })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('examples: O\\Brien and C:\\', async () => {
    const got = (await readBack('\\', ',', true, [
      ['', 'O\\Brien', '0'],
      ['', 'C:\\', '1'],
    ])) as Record<string, unknown>[];
    expect(got.map((row) => [row['first_name'], row['unsubscribed']])).toEqual([
      ['O\\Brien', '0'],
      ['C:\\', '1'],
    ]);
  });
});
