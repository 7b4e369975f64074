import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';

// An export whose header is wrong fails the list, and the error reaches the workflow history. A
// file without a header starts with a data row, where the address usually stands twice (as
// recipient id and as address), so the error may name our columns and field numbers, never a cell.

const HEADER = 'recipient_id,email,opt_in_id,description,media_type,entity_type,entity_id,first_name';
/** A value with a digit and a letter run no column name of ours holds, so finding it in an error is a leak. */
const token = fc.stringMatching(/^[a-z0-9]{6,12}$/).filter((t) => /\d/.test(t));
const secretOf = fc.constantFrom(
  (t: string) => `${t}@example.org`,
  (t: string) => t,
  (t: string) => `"${t}"`,
  (t: string) => `Jane ${t}`,
);
const firstLines: Array<(s: string) => string> = [
  (s) => `${s},${s},11,News,email,contact,C1,Jane`,
  (s) => `${s},x,11,News,email,contact,C1,${s}`,
  (s) => `${HEADER},${s},${s}`,
  (s) => `${HEADER.replace('email', s)}`,
  (s) => `${s},"${s}`,
];

describe('CSV export header errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-csv-header-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('name the file, the line, our columns and field numbers, never a cell of the file', async () => {
    await fc.assert(
      fc.asyncProperty(token, secretOf, fc.constantFrom(...firstLines.keys()), async (t, secretFrom, at) => {
        const file = join(dir, `export-${++n}.csv`);
        const first = (firstLines[at] as (s: string) => string)(secretFrom(t));
        writeFileSync(file, `${first}\np1@example.com,p1@example.com,11,News,email,contact,C1,Jane\n`);
        const config = crmConfigSchema.parse({
          kind: 'csv',
          outbox: dir,
          lists: { newsletter: { file, attributes: { first_name: 'firstname' } } },
        }) as CsvCrmConfig;
        const error = await (async () => {
          for await (const row of openCsvCrm(config).exportSelection('newsletter')) void row;
        })().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).not.toContain(t);
      }),
      { numRuns: 200 },
    );
  });

  it('names a repeated cell of a header-less file by its field numbers', async () => {
    const file = join(dir, 'headerless.csv');
    writeFileSync(file, 'jane@example.org,jane@example.org,11,News,email,contact,C1,Jane\n');
    const config = crmConfigSchema.parse({ kind: 'csv', outbox: dir, lists: { newsletter: { file, attributes: {} } } }) as CsvCrmConfig;
    const rows = openCsvCrm(config).exportSelection('newsletter');
    await expect(rows[Symbol.asyncIterator]().next()).rejects.toThrow(
      `${file}: the header at line 1 cannot be read (one name in fields 1 and 2)`,
    );
  });
});
