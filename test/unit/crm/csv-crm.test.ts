import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import type { CrmRow, FeedbackEvent } from '../../../src/crm/crm-port';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { CrmExchangeEncodingError } from '../../../src/errors/crm-exchange-encoding-error';
import { CrmListUnknownError } from '../../../src/errors/crm-list-unknown-error';
import { exportAndValidate } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';

const FIXTURES = join(__dirname, '../../fixtures/crm');

let outbox: string;
beforeEach(() => {
  outbox = mkdtempSync(join(tmpdir(), 'cs-csv-crm-'));
});
afterEach(() => rmSync(outbox, { recursive: true, force: true }));

function csvCrm(file: string, format: Record<string, unknown>) {
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox,
    format,
    campaigns: { '1001': 'CMP-1' },
    lists: { newsletter: { file: join(FIXTURES, file), attributes: { first_name: 'firstname', city: 'city' } } },
  }) as CsvCrmConfig;
  return openCsvCrm(config);
}

async function collect(rows: AsyncIterable<CrmRow>): Promise<CrmRow[]> {
  const out: CrmRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('CSV exchange adapter', () => {
  it('reads a UTF-8 file with BOM, semicolons and quoted fields with delimiters, quotes and line breaks', async () => {
    const rows = await collect(csvCrm('newsletter-utf8-bom-semicolon.csv', { delimiter: ';' }).exportSelection('newsletter'));
    expect(rows).toHaveLength(4);
    expect(Object.keys(rows[0]!)[0]).toBe('recipient_id');
    expect(rows[0]).toMatchObject({ description: 'News; weekly', city: 'Köln' });
    expect(rows[1]).toMatchObject({
      recipient_id: 'zoe@example.org',
      description: 'She said "hi"',
      first_name: 'Zoë',
      city: 'Line one\nline two',
    });
  });

  it('decodes a Latin-1 file', async () => {
    const rows = await collect(csvCrm('newsletter-latin1.csv', { encoding: 'latin1' }).exportSelection('newsletter'));
    expect(rows.map((r) => [r['first_name'], r['city']])).toEqual([
      ['Jürgen', 'München'],
      ['Ødegård AS', 'Malmö, Skåne'],
    ]);
  });

  it('feeds validation: a short line is missing_field, another consent is consent_mismatch', async () => {
    const crm = csvCrm('newsletter-utf8-bom-semicolon.csv', { delimiter: ';' });
    const excluded: string[] = [];
    const accepted: string[] = [];
    const counts = await exportAndValidate({
      crm,
      rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: '11', attributes: { first_name: 'firstname', city: 'city' } }),
      accepted: { write: (a) => void accepted.push(a.recipient.recipientId) },
      excluded: { write: (e) => void excluded.push(`${e.rowNumber}:${e.reason}:${e.field}`) },
    });
    expect(accepted).toEqual(['anna@example.com', 'zoe@example.org']);
    expect(excluded).toEqual(['3:consent_mismatch:opt_in_id', '4:missing_field:media_type']);
    expect(counts.rowsRead).toBe(4);
  });

  it('rejects a list it has no file for', async () => {
    await expect(collect(csvCrm('newsletter-latin1.csv', {}).exportSelection('offers'))).rejects.toBeInstanceOf(CrmListUnknownError);
    for (const key of ['constructor', '__proto__', 'toString']) {
      await expect(collect(csvCrm('newsletter-latin1.csv', {}).exportSelection(key))).rejects.toBeInstanceOf(CrmListUnknownError);
    }
  });

  it('hands one feedback file to the CRM, in the configured format and with each event time, however often the same events are applied', async () => {
    const crm = csvCrm('newsletter-latin1.csv', { delimiter: ';', encoding: 'latin1' });
    const events: FeedbackEvent[] = [
      {
        kind: 'bounce',
        recipientId: 'juergen@example.de',
        entityType: 'contact',
        entityId: 'C7',
        optInId: '11',
        mediaType: 'email',
        occurredAt: '2026-11-01T10:00:00Z',
        hard: false,
      },
      {
        kind: 'unsubscribe',
        recipientId: 'søren@example.dk',
        entityType: 'account',
        entityId: 'A3',
        optInId: '11',
        mediaType: 'email',
        occurredAt: '2026-11-01T11:00:00Z',
      },
    ];
    expect((await crm.applyFeedback(events)).map((r) => r.outcome)).toEqual(['handed', 'handed']);
    expect((await crm.applyFeedback(events)).map((r) => r.outcome)).toEqual(['already', 'already']);
    const files = readdirSync(outbox);
    expect(files).toHaveLength(1);
    const text = readFileSync(join(outbox, files[0]!)).toString('latin1');
    expect(parse(text, { delimiter: ';', columns: true })).toEqual([
      {
        kind: 'bounce',
        recipient_id: 'juergen@example.de',
        entity_type: 'contact',
        entity_id: 'C7',
        opt_in_id: '11',
        media_type: 'email',
        occurred_at: '2026-11-01T10:00:00Z',
        hard: '0',
      },
      {
        kind: 'unsubscribe',
        recipient_id: 'søren@example.dk',
        entity_type: 'account',
        entity_id: 'A3',
        opt_in_id: '11',
        media_type: 'email',
        occurred_at: '2026-11-01T11:00:00Z',
        hard: '1',
      },
    ]);
  });

  it('refuses to write a value Latin-1 cannot hold instead of corrupting it', async () => {
    const crm = csvCrm('newsletter-latin1.csv', { encoding: 'latin1' });
    const event: FeedbackEvent = {
      kind: 'bounce',
      recipientId: '山田@example.jp',
      entityType: 'contact',
      entityId: 'C1',
      optInId: '11',
      mediaType: 'email',
      occurredAt: '2026-11-01T10:00:00Z',
    };
    await expect(crm.applyFeedback([event])).rejects.toMatchObject({
      name: 'CrmExchangeEncodingError',
      rowNumber: 1,
      column: 'recipient_id',
    });
    await expect(crm.applyFeedback([event])).rejects.toBeInstanceOf(CrmExchangeEncodingError);
    expect(readdirSync(outbox)).toEqual([]);
  });

  it('writes a BOM when configured', async () => {
    const crm = csvCrm('newsletter-latin1.csv', { bom: true });
    await crm.applyFeedback([
      {
        kind: 'bounce',
        recipientId: 'a@b.de',
        entityType: 'contact',
        entityId: 'C1',
        optInId: '11',
        mediaType: 'email',
        occurredAt: '2026-11-01T10:00:00Z',
      },
    ]);
    expect(readFileSync(join(outbox, readdirSync(outbox)[0]!)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('writes responses only for configured campaigns and reports repeats as duplicates', async () => {
    const crm = csvCrm('newsletter-latin1.csv', {});
    const open = {
      kind: 'open' as const,
      mailingId: '1001',
      recipientId: 'a@b.de',
      entityType: 'contact',
      entityId: 'C1',
      occurredAt: '2026-11-01T10:00:00Z',
    };
    const other = { ...open, mailingId: '7' };
    expect((await crm.applyResponses([open, other])).map((r) => r.outcome)).toEqual(['applied', 'no_campaign']);
    expect((await crm.applyResponses([open, other])).map((r) => r.outcome)).toEqual(['duplicate', 'no_campaign']);
    expect(await crm.campaignForMailing('1001')).toBe('CMP-1');
    expect(readdirSync(outbox)).toHaveLength(1);
  });

  it('writes only responses no outbox file holds yet, in any format, and again once the CRM took the file away', async () => {
    const format = { delimiter: ';', encoding: 'latin1', quote: "'", escape: '\\' };
    const writer = csvCrm('newsletter-latin1.csv', format);
    const click = (recipientId: string, url: string) => ({
      kind: 'click' as const,
      mailingId: '1001',
      recipientId,
      entityType: 'contact',
      entityId: `C-${recipientId}`,
      occurredAt: '2026-11-01T10:00:00Z',
      url,
    });
    // Cells a CSV has to quote, escape or formula-escape are still recognised when read back.
    const [tricky, plain, late] = [click("=a;'b@x.de", "https://x.de/?q=1;'2'\nnext"), click('b@x.de', '-'), click('c@x.de', '+1')];
    expect((await writer.applyResponses([tricky, plain])).map((r) => r.outcome)).toEqual(['applied', 'applied']);
    // Another adapter (a retry's process) with the batch grown by a late row, one row twice.
    const retry = csvCrm('newsletter-latin1.csv', format);
    expect((await retry.applyResponses([late, tricky, plain, late])).map((r) => r.outcome)).toEqual([
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    const files = readdirSync(outbox).sort();
    const rowsOf = (name: string) =>
      parse(readFileSync(join(outbox, name), 'latin1'), { delimiter: ';', quote: "'", escape: '\\', from_line: 2 }) as string[][];
    expect(files.map((name) => rowsOf(name).length).sort()).toEqual([1, 2]);
    // The CRM imported and removed them: the same events are handed over again, as before the outbox held them.
    for (const name of files) rmSync(join(outbox, name));
    expect((await retry.applyResponses([tricky])).map((r) => r.outcome)).toEqual(['applied']);
  });
});
