import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { FORMULA_SAFE_CSV } from '../csv/formula-cells';
import type { StateStore } from '../store/state-store';
import type { LedgerEntry } from '../store/types';

// `report <run> --csv <file>`: a run's ledger as CSV.

export const LEDGER_CSV_COLUMNS = [
  'runId',
  'listKey',
  'outcome',
  'recipientId',
  'entityType',
  'entityId',
  'resultCode',
  'rowNumber',
  'reason',
  'field',
];

/** Streams the ledger page by page into the file (constant memory); CRM text is formula-escaped. */
export async function writeLedgerCsv(store: Pick<StateStore, 'ledger'>, runId: string, file: string): Promise<number> {
  let rows = 0;
  async function* records() {
    for await (const entry of store.ledger.stream(runId)) {
      rows += 1;
      yield csvRecord(entry);
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ header: true, columns: LEDGER_CSV_COLUMNS, ...FORMULA_SAFE_CSV }),
    createWriteStream(file),
  );
  return rows;
}

function csvRecord(entry: LedgerEntry): Record<string, unknown> {
  const base = {
    runId: entry.runId,
    listKey: entry.listKey,
    outcome: entry.outcome,
    recipientId: entry.recipientId,
    entityType: entry.entityType,
    entityId: entry.entityId,
  };
  if (entry.outcome === 'sent') return { ...base, resultCode: entry.resultCode };
  // A rejected recipient's reason is the redacted fault Optimizely (or the request writer) gave.
  if (entry.outcome === 'rejected') return { ...base, reason: entry.fault };
  if (entry.outcome === 'kept' || entry.outcome === 'removed') return { ...base, reason: entry.reason };
  return { ...base, rowNumber: entry.rowNumber, reason: entry.reason, field: entry.field ?? '' };
}
