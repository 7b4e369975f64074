import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { CliUsageError } from '../errors/cli-usage-error';
import { FORMULA_SAFE_CSV } from '../csv/formula-cells';
import { fileErrorReason, shownInput, SHOWN_PATH_MAX } from '../errors/quoted-text';
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

/**
 * Streams the ledger page by page into the file (constant memory); CRM text is formula-escaped. A
 * path that exists (a file, a folder, a link even to nowhere) is refused unless `overwrite`: it was
 * written over silently, whatever it held. Opened with O_EXCL, so nothing created in between is lost.
 */
export async function writeLedgerCsv(
  store: Pick<StateStore, 'ledger'>,
  runId: string,
  file: string,
  { overwrite = false }: { overwrite?: boolean } = {},
): Promise<number> {
  let rows = 0;
  async function* records() {
    for await (const entry of store.ledger.stream(runId)) {
      rows += 1;
      yield csvRecord(entry);
    }
  }
  // The path is the operator's --csv argument and Node's message quotes it as typed (a line break in it
  // printed a line of its own, a NUL byte is refused before any file is opened): shown bounded on one
  // line instead, with the error's code.
  const unwritable = (error: unknown) =>
    new Error(`--csv: the ledger cannot be written to ${shownInput(file, SHOWN_PATH_MAX)}: ${fileErrorReason(error)}`);
  let fileError: unknown;
  let handle;
  try {
    handle = await open(file, overwrite ? 'w' : 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CliUsageError(`report: --csv: ${shownInput(file, SHOWN_PATH_MAX)} exists; name a new file, or add --force to overwrite it`);
    throw unwritable(error);
  }
  const out = handle.createWriteStream();
  out.once('error', (error) => (fileError = error));
  try {
    await pipeline(Readable.from(records()), stringify({ header: true, columns: LEDGER_CSV_COLUMNS, ...FORMULA_SAFE_CSV }), out);
  } catch (error) {
    throw fileError === undefined ? error : unwritable(fileError);
  }
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
