import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { malformedRowOf, type CrmRow } from '../../../src/crm/crm-port';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';

// A malformed line's opt-out wins for the person's other rows, found by the recipient id or address
// its salvaged reading holds. Under an escape other than the quote (a backslash), an unquoted cell is
// literal in the strict split (`CORP\\jdoe` is read as written); the salvage undid `\\` everywhere,
// so the opt-out on the malformed line went to `CORP\jdoe`, a person no well-formed line names, and
// the rows of `CORP\\jdoe` were sent.

const COLUMNS = ['recipient_id', 'email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id', 'unsubscribed'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csv-salvage-escape-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const idArb = fc.string({ unit: fc.constantFrom('\\', 'a', 'b', '1'), minLength: 1, maxLength: 8 });

describe('a malformed line salvaged under a backslash escape', () => {
  it('reads an unquoted cell as the strict split does, so its opt-out finds the person', async () => {
    await fc.assert(
      fc.asyncProperty(idArb, idArb, async (id, email) => {
        const line = (description: string, unsubscribed: string) =>
          [id, `${email}@x.test`, '11', description, 'email', 'contact', 'e1', unsubscribed].join(',');
        const file = join(dir, 'selection.csv');
        writeFileSync(file, `${COLUMNS.join(',')}\n${line('d', 'no')}\n${line('O"Brien', 'yes')}\n`);
        const config = crmConfigSchema.parse({
          kind: 'csv',
          outbox: dir,
          format: { escape: '\\' },
          lists: { l: { file, attributes: {} } },
        }) as CsvCrmConfig;
        const rows: CrmRow[] = [];
        for await (const row of openCsvCrm(config).exportSelection('l')) rows.push(row);
        const [strict, malformed] = [rows[0] as CrmRow, malformedRowOf(rows[1] as CrmRow)];
        expect(strict['recipient_id']).toBe(id);
        expect(malformed?.salvage?.map((reading) => [reading['recipient_id'], reading['email'], reading['unsubscribed']])).toEqual([
          [id, `${email}@x.test`, 'yes'],
        ]);
      }),
      { numRuns: 100 },
    );
  });
});
