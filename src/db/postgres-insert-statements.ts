import type { PoolClient } from 'pg';
import type { InsertRowsInput, SqlValue } from './sql-db';

/** Keeps one statement's arrays to a few megabytes. */
const UNNEST_ROWS_PER_STATEMENT = 10_000;
/** PostgreSQL allows 65,535 parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

/** Batched `INSERT ... ON CONFLICT DO NOTHING` on the caller's client; returns the rows inserted. */
export async function insertWithStatements(client: PoolClient, input: InsertRowsInput): Promise<number> {
  const { rows } = input;
  const statement = input.types ? unnestInsert(input, input.types) : valuesInsert(input);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += statement.rowsPerStatement) {
    const chunk = rows.slice(start, start + statement.rowsPerStatement);
    inserted += (await client.query(statement.sql(chunk.length), statement.params(chunk))).rowCount ?? 0;
  }
  return inserted;
}

interface InsertStatement {
  rowsPerStatement: number;
  sql(rowCount: number): string;
  params(chunk: readonly (readonly SqlValue[])[]): unknown[];
}

/** One array parameter per column, unnested server-side: few parameters whatever the row count. */
function unnestInsert({ table, columns }: InsertRowsInput, types: readonly string[]): InsertStatement {
  const unnest = types.map((type, c) => `$${c + 1}::${type}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${unnest}) ON CONFLICT DO NOTHING`;
  return {
    rowsPerStatement: UNNEST_ROWS_PER_STATEMENT,
    sql: () => sql,
    params: (chunk) => columns.map((_, c) => chunk.map((row) => row[c] ?? null)),
  };
}

/** Multi-row VALUES: values travel as plain parameters, no array-literal escaping. */
function valuesInsert({ table, columns }: InsertRowsInput): InsertStatement {
  const width = columns.length;
  return {
    rowsPerStatement: Math.max(1, Math.floor(MAX_PARAMS / width)),
    sql: (rowCount) => {
      const tuples = Array.from({ length: rowCount }, (_, r) => `(${columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`);
      return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`;
    },
    params: (chunk) => chunk.flat(),
  };
}
