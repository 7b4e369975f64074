import { Pool, type PoolClient } from 'pg';
import { StoreMigrationError } from '../errors/store-migration-error';
import { MIGRATIONS_TABLE, type InsertRowsInput, type Migration, type SqlDb, type SqlValue } from './sql-db';

/** Keeps one statement's arrays to a few megabytes. */
const UNNEST_ROWS_PER_STATEMENT = 10_000;
/** PostgreSQL allows 65,535 parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;
/** Any constant works; it only has to be the same for every campaign-sync process. */
const MIGRATION_LOCK_KEY = 7_341_150_021;

/** Rewrites `?` placeholders as `$1, $2, ...`; our statements never contain a literal `?`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Runs `work` on one pooled client inside BEGIN/COMMIT, rolling back when it throws. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function openPostgresDb(url: string, poolSize = 5): SqlDb {
  const pool = new Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the worker; the next query reconnects.
  pool.on('error', () => undefined);

  const inTransaction = <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => withTransaction(pool, work);

  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await pool.query(numberPlaceholders(sql), [...params])).rows as T[],
    run: async (sql, params = []) => (await pool.query(numberPlaceholders(sql), [...params])).rowCount ?? 0,
    atomic: (statements) =>
      inTransaction(async (client) => {
        const counts: number[] = [];
        for (const s of statements) counts.push((await client.query(numberPlaceholders(s.sql), [...(s.params ?? [])])).rowCount ?? 0);
        return counts;
      }),
    insertRows: (input) => inTransaction((client) => insertRows(client, input)),
    migrate: (migrations) => migrate(inTransaction, migrations),
    close: () => pool.end(),
  };
}

async function insertRows(client: PoolClient, input: InsertRowsInput): Promise<number> {
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

type InTransaction = <T>(work: (client: PoolClient) => Promise<T>) => Promise<T>;

async function migrate(inTransaction: InTransaction, migrations: readonly Migration[]): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    try {
      const done = await inTransaction(async (client) => {
        // Workers starting together queue here; the second finds the version recorded and skips it.
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
        );
        const found = await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = $1`, [migration.version]);
        if (found.rowCount) return false;
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        return true;
      });
      if (done) applied.push(migration.version);
    } catch (error) {
      throw new StoreMigrationError('postgres', migration.version, migration.name, { cause: error });
    }
  }
  return applied;
}
