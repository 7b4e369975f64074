import { CopyValueError } from '../errors/copy-value-error';
import type { SqlValue } from './sql-db';

// PostgreSQL's COPY text format: columns separated by tab, rows by newline, NULL as \N, and a
// backslash escapes the rest. Escaping the backslash itself also keeps a value from ever reading as
// \N or as the end-of-data marker \. .

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value as a COPY text field; undefined travels as NULL, like the INSERT path's `?? null`. */
export function copyTextValue(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : value;
}

/** One row as a COPY text line, newline included. */
export function copyTextLine(row: readonly SqlValue[], width: number): string {
  let line = copyTextValue(row[0]);
  for (let c = 1; c < width; c += 1) line += `\t${copyTextValue(row[c])}`;
  return `${line}\n`;
}

/**
 * Refuses, before anything is written, a row whose width differs from the column list or a text
 * value PostgreSQL cannot store (U+0000): the caller learns the column and row, not a protocol error.
 */
export function assertCopyable(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): void {
  for (const [r, row] of rows.entries()) {
    if (row.length > columns.length)
      throw new CopyValueError(table, columns.join(','), r, `${row.length} values for ${columns.length} columns`);
    for (const [c, value] of row.entries()) {
      if (typeof value === 'string' && value.includes('\u0000'))
        throw new CopyValueError(table, columns[c] as string, r, 'text contains U+0000 (NUL), which PostgreSQL text cannot hold');
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new CopyValueError(table, columns[c] as string, r, `${String(value)} is not a finite number`);
    }
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Table and column names are the code's own, never input; checked anyway, since they are spliced into SQL. */
export function assertIdentifiers(names: readonly string[]): void {
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`Not a plain SQL identifier: ${JSON.stringify(name)}`);
}
