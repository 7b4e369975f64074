import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crmConfigSchema, type CsvCrmConfig } from '../../../../src/crm/crm-config';
import { openCsvCrm } from '../../../../src/crm/csv/csv-crm';
import { checkSelectionColumns } from '../../../../src/sync/preflight/check-selection-columns';
import { listRulesSchema } from '../../../../src/validation/list-rules';

// The check reads a CSV exchange file as the export does: header (with the list's column mapping)
// first, malformed lines skipped, and never shows a value.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-check-columns-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'email,opt-in-id,description,media_type,entity_type,entity_id,first_name';
const GOOD = 'secret.person@example.com,11,News,email,contact,C1,Secretname';
const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: '11', attributes: { first_name: 'firstname' } });

function check(text: string, columns: Record<string, string> = { 'opt-in-id': 'opt_in_id' }) {
  const file = join(dir, 'newsletter.csv');
  writeFileSync(file, text);
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox: dir,
    lists: { newsletter: { file, columns, attributes: { first_name: 'firstname' } } },
  }) as CsvCrmConfig;
  return checkSelectionColumns(openCsvCrm(config), rules);
}

describe('checkSelectionColumns over a CSV exchange file', () => {
  it('passes a mapped header and the first readable row, skipping a malformed line before it', async () => {
    expect(await check(`${HEADER}\n"broken,11\n${GOOD}\n`)).toEqual({ problems: [], checked: true });
  });

  it('names a column missing from the header, with the file column it was mapped from, even without rows', async () => {
    const result = await check(`${HEADER.replace('opt-in-id', 'optin')}\n`);
    expect(result.problems).toEqual([
      expect.stringMatching(/^CRM: .*selection of list "newsletter" lacks the columns opt_in_id \(mapped from "opt-in-id"\)$/),
    ]);
  });

  it('says the columns were not seen when the file has only malformed lines', async () => {
    expect(await check(`${HEADER}\n"a,b\n`)).toEqual({ problems: [], checked: false });
  });

  it('names an opt-out column under another spelling, which the export would ignore', async () => {
    const result = await check(`${HEADER},Unsubscribed\n${GOOD},yes\n`);
    expect(result).toEqual({
      problems: [expect.stringMatching(/^CRM: selection of list "newsletter" returns a column "Unsubscribed" that reads as unsubscribed/)],
      checked: true,
    });
  });

  it('never shows a value of the file', async () => {
    const result = await check(`${HEADER.replace(',first_name', '')}\n${GOOD}\n`);
    expect(result.problems.join(' ')).toContain('first_name');
    expect(result.problems.join(' ')).not.toMatch(/secret|Secretname/i);
  });
});
