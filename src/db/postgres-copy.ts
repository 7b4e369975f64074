import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { assertCopyable, assertIdentifiers, copyTextLine } from './copy-text';
import { insertWithStatements } from './postgres-insert-statements';
import type { InsertRowsInput, SqlValue } from './sql-db';

/** Rows encoded per chunk written to the COPY stream: large enough to amortise, small enough to stay flat. */
const ROWS_PER_CHUNK = 1000;
/** PostgreSQL's SQLSTATE for a unique-key violation. */
const UNIQUE_VIOLATION = '23505';

function* chunks(rows: readonly (readonly SqlValue[])[], width: number): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    let text = '';
    const end = Math.min(rows.length, start + ROWS_PER_CHUNK);
    for (let r = start; r < end; r += 1) text += copyTextLine(rows[r] as readonly SqlValue[], width);
    yield text;
  }
}

/**
 * Streams rows into `table` with `COPY ... FROM STDIN` (text format) on the caller's client, so it
 * joins the caller's transaction. Every value is checked first (see assertCopyable): a refused row
 * leaves nothing written. A unique-key conflict fails the whole COPY. Returns the rows copied.
 */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<number> {
  assertIdentifiers([table, ...columns]);
  assertCopyable(table, columns, rows);
  if (rows.length === 0) return 0;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(rows, columns.length)), stream);
  return stream.rowCount;
}

/**
 * COPY with the semantics of `INSERT ... ON CONFLICT DO NOTHING`, inside the caller's transaction:
 * rows go straight in when none of them exists yet (the common case, a first write); when one does
 * (a retried batch), the attempt is rolled back to a savepoint and the batch goes in as the INSERT
 * statements of insertWithStatements, which skip what exists. Measured faster for an all-skipped
 * batch than a temporary table filled by COPY, and no temporary table churns the catalog. Returns the
 * rows inserted.
 */
export async function copyRowsSkippingConflicts(client: PoolClient, input: InsertRowsInput): Promise<number> {
  const { table, columns, rows } = input;
  assertIdentifiers([table, ...columns]);
  assertCopyable(table, columns, rows);
  if (rows.length === 0) return 0;
  await client.query('SAVEPOINT copy_direct');
  try {
    const copied = await copyRows(client, table, columns, rows);
    await client.query('RELEASE SAVEPOINT copy_direct');
    return copied;
  } catch (error) {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('ROLLBACK TO SAVEPOINT copy_direct');
  }
  return insertWithStatements(client, input);
}
