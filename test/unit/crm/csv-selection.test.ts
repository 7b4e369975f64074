import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { malformedRowOf, type CrmRow } from '../../../src/crm/crm-port';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { exportAndValidate } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-csv-selection-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'recipient_id,email,opt_in_id,description,media_type,entity_type,entity_id,first_name';
const line = (n: number, firstName = `Name${n}`) => `p${n}@example.com,p${n}@example.com,11,News,email,contact,C${n},${firstName}`;

function crmFor(text: string | Buffer, list: Record<string, unknown> = {}) {
  const file = join(dir, 'newsletter.csv');
  writeFileSync(file, text);
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox: dir,
    lists: { newsletter: { file, attributes: { first_name: 'firstname' }, ...list } },
  }) as CsvCrmConfig;
  return { crm: openCsvCrm(config), file };
}

async function collect(rows: AsyncIterable<CrmRow>): Promise<CrmRow[]> {
  const out: CrmRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function exportFile(text: string | Buffer, list: Record<string, unknown> = {}) {
  const { crm } = crmFor(text, list);
  const accepted: string[] = [];
  const excluded: Exclusion[] = [];
  const counts = await exportAndValidate({
    crm,
    rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: '11', attributes: { first_name: 'firstname' } }),
    accepted: { write: (a) => void accepted.push(a.recipient.recipientId) },
    excluded: { write: (e) => void excluded.push(e) },
  });
  return { counts, accepted, excluded };
}

describe('CSV selection', () => {
  it('excludes a line with a stray quote as malformed_row, naming its line but not its values, and reads on', async () => {
    const text = [HEADER, line(1), 'jane.doe@example.com,jane.doe@example.com "x",11,News,email,contact,C2,Jane', line(3), ''].join('\n');
    const { counts, accepted, excluded } = await exportFile(text);
    expect(accepted).toEqual(['p1@example.com', 'p3@example.com']);
    expect(excluded).toEqual([{ rowNumber: 2, reason: 'malformed_row', field: 'line 3 (quote_in_unquoted_field)' }]);
    expect(JSON.stringify(excluded)).not.toMatch(/jane/);
    expect(counts.rowsRead).toBe(3);
  });

  it('costs an unclosed opening quote only its own line, even when a later quote could close it', async () => {
    const text = [HEADER, line(1, '"Cy'), line(2), line(3, '"Dee"'), line(4), 'x,"unclosed'].join('\n');
    const { accepted, excluded } = await exportFile(text, { maxMalformedPercent: 50 });
    expect(accepted).toEqual(['p2@example.com', 'p3@example.com', 'p4@example.com']);
    expect(excluded.map((e) => e.field)).toEqual(['line 2 (text_after_closing_quote)', 'line 6 (unclosed_quote)']);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, and CRLF files', async () => {
    const text = `${HEADER}\r\n${line(1, '"Ann, ""the"" first\r\nof her name"')}\r\n${line(2)}\r\n`;
    const rows = await collect(crmFor(text).crm.exportSelection('newsletter'));
    expect(rows.map((r) => r['first_name'])).toEqual(['Ann, "the" first\r\nof her name', 'Name2']);
  });

  it("maps the file's column names to ours and takes the address as recipient id when there is none", async () => {
    const text = 'E-Mail;opt-in-id;description;media-type;entity-type;entity-id;Vorname\nanna@example.com;11;News;email;contact;C1;Anna\n';
    const columns = {
      'E-Mail': 'email',
      'opt-in-id': 'opt_in_id',
      'media-type': 'media_type',
      'entity-type': 'entity_type',
      'entity-id': 'entity_id',
      Vorname: 'first_name',
    };
    const file = join(dir, 'newsletter.csv');
    writeFileSync(file, text);
    const config = crmConfigSchema.parse({
      kind: 'csv',
      outbox: dir,
      format: { delimiter: ';' },
      lists: { newsletter: { file, attributes: { first_name: 'firstname' }, columns } },
    }) as CsvCrmConfig;
    const rows = await collect(openCsvCrm(config).exportSelection('newsletter'));
    expect(rows).toEqual([
      {
        email: 'anna@example.com',
        opt_in_id: '11',
        description: 'News',
        media_type: 'email',
        entity_type: 'contact',
        entity_id: 'C1',
        first_name: 'Anna',
        recipient_id: 'anna@example.com',
      },
    ]);
  });

  it('names the file and the missing column, with the name it was mapped from, and no data', async () => {
    const text =
      'recipient_id,email,description,media_type,entity_type,entity_id,first_name\nsecret@example.com,secret@example.com,N,email,contact,C1,A\n';
    const { crm, file } = crmFor(text, { columns: { 'opt-in-id': 'opt_in_id' } });
    const failure = collect(crm.exportSelection('newsletter'));
    await expect(failure).rejects.toMatchObject({ name: 'CrmSelectionColumnsError', missingColumns: ['opt_in_id'] });
    await expect(collect(crm.exportSelection('newsletter'))).rejects.toThrow(
      `${file}: selection of list "newsletter" lacks the columns opt_in_id (mapped from "opt-in-id")`,
    );
    await expect(collect(crm.exportSelection('newsletter'))).rejects.not.toThrow(/secret/);
  });

  it('refuses two file columns mapped to the same column of ours', () => {
    expect(() => crmFor('', { columns: { a: 'email', b: 'email' } })).toThrow(/both a and b map to email/);
  });

  it('fails the export after reading when more lines than the share are malformed, with the count and no data', async () => {
    const text = [HEADER, line(1), 'secret1@example.com,"x"y', line(3), 'secret2@example.com,"a"b', ''].join('\n');
    const { crm, file } = crmFor(text, { maxMalformedPercent: 10 });
    const rows: CrmRow[] = [];
    const failure = (async () => {
      for await (const r of crm.exportSelection('newsletter')) rows.push(r);
    })();
    await expect(failure).rejects.toMatchObject({ name: 'CrmSelectionMalformedError', malformedLines: 2, dataLines: 4 });
    await expect(collect(crm.exportSelection('newsletter'))).rejects.toThrow(`${file}: 2 of 4 lines are malformed, more than 10%`);
    await expect(collect(crm.exportSelection('newsletter'))).rejects.not.toThrow(/secret/);
    expect(rows.map((r) => malformedRowOf(r)?.line)).toEqual([undefined, 3, undefined, 5]);
  });

  it('never fails a file for a single malformed line', async () => {
    const { counts } = await exportFile([HEADER, '"', ''].join('\n'), { maxMalformedPercent: 0 });
    expect(counts.excluded.malformed_row).toBe(1);
  });

  it('reports a line that is not UTF-8 or longer than a megabyte as malformed instead of repairing it', async () => {
    const text = Buffer.concat([
      Buffer.from(`${HEADER}\n${line(1)}\nbad,`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`\n${'x'.repeat(1_100_000)}\n${line(4)}\n`),
    ]);
    const { accepted, excluded } = await exportFile(text, { maxMalformedPercent: 60 });
    expect(accepted).toEqual(['p1@example.com', 'p4@example.com']);
    expect(excluded.map((e) => e.field)).toEqual(['line 3 (invalid_encoding)', 'line 4 (line_too_long)']);
  });

  it('treats a line with more fields than the header as malformed: its values would be shifted', async () => {
    const { excluded } = await exportFile([HEADER, `${line(1)},extra`, line(2), ''].join('\n'), { maxMalformedPercent: 60 });
    expect(excluded).toEqual([{ rowNumber: 1, reason: 'malformed_row', field: 'line 2 field 9 (too_many_fields)' }]);
  });

  it('names the header line when it cannot be read', async () => {
    const { crm, file } = crmFor('"recipient_id,email\nx,y\n');
    await expect(collect(crm.exportSelection('newsletter'))).rejects.toThrow(
      `${file}: the header at line 1 cannot be read (unclosed_quote)`,
    );
  });

  it('refuses a header where two columns end up with one name, naming the column', async () => {
    const { crm, file } = crmFor(`${HEADER},E-Mail\n${line(1)},other@example.com\n`, { columns: { 'E-Mail': 'email' } });
    await expect(collect(crm.exportSelection('newsletter'))).rejects.toThrow(
      `${file}: the header at line 1 cannot be read (column email appears twice in field 9)`,
    );
  });

  it('keeps a column named __proto__ an ordinary column', async () => {
    const rows = await collect(crmFor(`${HEADER},__proto__\n${line(1)},polluted\n`).crm.exportSelection('newsletter'));
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.hasOwn(rows[0]!, '__proto__')).toBe(true);
  });
});
