import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { SanitizedLedgerEntry } from '../../../src/store/types';
import { aRun, aSent } from '../../helpers/store-builders';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// A run whose export stripped two attribute values of one recipient: `report` counts them per field,
// `why` says the recipient was sent sanitized, `report --csv` lists each value's entry.

const sanitized = (field: string, reason: string): SanitizedLedgerEntry => ({
  runId: 'run-1',
  listKey: 'newsletter',
  outcome: 'sanitized',
  rowNumber: 4,
  reason,
  field,
  recipientId: 'anna@example.com',
  entityType: 'contact',
  entityId: 'C12',
});

const { cli, path } = useCliOnDemoStore('cli-sanitized', async (store) => {
  await store.runs.upsert(aRun({ client: 'demo', listKey: 'newsletter', status: 'completed', counts: { exported: 1 } }));
  await store.ledger.record([
    aSent('anna@example.com', 0, { entityId: 'C12' }),
    sanitized('first_name', 'invalid_characters'),
    sanitized('city', 'value_too_long'),
  ]);
});

describe('CLI output of sanitized values', () => {
  it('report counts sanitized values per field beside the sent recipient', async () => {
    const { code, out } = await cli(['report', 'run-1']);
    expect(code).toBe(0);
    expect(out).toMatch(/sent 1,/);
    expect(out).toMatch(/sanitized 2 attribute values \(recipients sent\), by field: (first_name 1, city 1|city 1, first_name 1)/);
  });

  it('why says the recipient was sent with a sanitized field', async () => {
    const { out } = await cli(['why', 'anna@example.com']);
    expect(out).toContain('sanitized (contact C12, selection row 4): field first_name: invalid_characters, sent sanitized');
    expect(out).toContain('field city: value_too_long');
    expect(out).toMatch(/sent as contact C12/);
  });

  it('report --csv holds one row per sanitized value', async () => {
    const file = path('ledger.csv');
    await cli(['report', 'run-1', '--csv', file]);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.outcome === 'sanitized').map((r) => [r.rowNumber, r.field, r.reason])).toEqual([
      ['4', 'first_name', 'invalid_characters'],
      ['4', 'city', 'value_too_long'],
    ]);
  });
});
