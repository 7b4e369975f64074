import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { unescapeFormulaCell } from '../../csv/formula-cells';
import type { CsvFormat } from '../crm-config';

// The rows already waiting in the outbox under one prefix, so a hand-over writes only rows no file
// there holds yet. A file's name is a hash of its content, which is idempotent only when the same rows
// come again in the same batch: a retried response window re-reads its pages, and rows ClosedLoop added
// to the window meanwhile (or a checkpoint older than the dead attempt's last commit) change a batch
// already handed over, so it would land in a second file repeating its other rows, and the CRM, which
// imports every file it finds, would record those opens and clicks twice. Files are immutable (written
// under `.part`, then renamed), so each is read once per adapter; a file the CRM has taken away is
// forgotten, and memory stays the rows not imported yet.

/** A row as the CRM reads it back (formula escapes undone): its identity in the outbox. */
export const outboxRowKey = (cells: readonly unknown[]): string => cells.map((cell) => String(cell)).join('\u0000');

export interface OutboxRows {
  /** The rows no `<prefix>-*.csv` in the outbox holds yet, in order, each once. */
  unwritten<R extends readonly unknown[]>(rows: readonly R[]): R[];
  /** Remembers the rows of a file this adapter just wrote, so it is not read back. */
  wrote(file: string, rows: readonly (readonly unknown[])[]): void;
}

export function outboxRows(outbox: string, prefix: string, format: CsvFormat): OutboxRows {
  const byFile = new Map<string, readonly string[]>();
  // How many files hold each row: one look-up per row, however many files wait.
  const holders = new Map<string, number>();
  const count = (keys: readonly string[], by: 1 | -1) => {
    for (const key of keys) {
      const left = (holders.get(key) ?? 0) + by;
      if (left > 0) holders.set(key, left);
      else holders.delete(key);
    }
  };
  const refresh = () => {
    const present = new Set(listFiles(outbox, prefix));
    for (const [file, keys] of byFile)
      if (!present.has(file)) {
        byFile.delete(file);
        count(keys, -1);
      }
    for (const file of present) if (!byFile.has(file)) remember(file, readKeys(join(outbox, file), format));
  };
  const remember = (file: string, keys: readonly string[]) => {
    byFile.set(file, keys);
    count(keys, 1);
  };
  return {
    unwritten(rows) {
      refresh();
      const seen = new Set<string>();
      return rows.filter((row) => {
        const key = outboxRowKey(row);
        if (seen.has(key) || holders.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
    wrote(file, rows) {
      if (!byFile.has(file)) remember(file, rows.map(outboxRowKey));
    },
  };
}

function listFiles(outbox: string, prefix: string): string[] {
  try {
    return readdirSync(outbox).filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.csv'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function readKeys(file: string, format: CsvFormat): string[] {
  let text: string;
  try {
    text = readFileSync(file, format.encoding);
  } catch (error) {
    // Imported and removed by the CRM between the listing and the read: nothing of it waits any more.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rows = parse(text, {
    delimiter: format.delimiter,
    quote: format.quote,
    escape: format.escape,
    bom: true,
    from_line: 2,
    relax_column_count: true,
  }) as string[][];
  return rows.map((cells) => outboxRowKey(cells.map(unescapeFormulaCell)));
}
