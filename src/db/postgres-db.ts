import { Pool, type PoolClient } from 'pg';
import { StoreMigrationError } from '../errors/store-migration-error';
import { assertCopyable } from './copy-text';
import { copyRowsSkippingConflicts } from './postgres-copy';
import { insertWithStatements } from './postgres-insert-statements';
import { MIGRATIONS_TABLE, type Migration, type SqlDb, type SqlValue } from './sql-db';

/**
 * Below this many rows a batch goes in as INSERT statements: COPY costs a savepoint and a protocol
 * round trip more, which only pays off for bulk writes.
 */
const COPY_MIN_ROWS = 200;
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

/**
 * Held until the inserting transaction ends, so no other insert into the table draws serial values
 * meanwhile: the rows get consecutive ids. Two-key form (namespace, table), apart from the
 * single-key migration lock.
 */
const CONSECUTIVE_IDS_LOCK = `SELECT pg_advisory_xact_lock(${0x43534944}, hashtext($1))`; // 0x43534944: 'CSID'

export interface PostgresDbOptions {
  poolSize?: number;
  /** How insertRows writes bulk batches: `copy` (default) or `statements` (the former INSERT path, kept for the benchmark). */
  bulkInsert?: 'copy' | 'statements';
}

export function openPostgresDb(url: string, options: PostgresDbOptions = {}): SqlDb {
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 5 });
  const useCopy = (options.bulkInsert ?? 'copy') === 'copy';
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
    insertRows: async (input) => {
      // Both paths refuse what PostgreSQL text cannot hold with the same error naming the column.
      assertCopyable(input.table, input.columns, input.rows);
      return inTransaction(async (client) => {
        if (input.consecutiveIds) await client.query(CONSECUTIVE_IDS_LOCK, [input.table]);
        return useCopy && input.rows.length >= COPY_MIN_ROWS
          ? copyRowsSkippingConflicts(client, input)
          : insertWithStatements(client, input);
      });
    },
    migrate: (migrations) => migrate(inTransaction, migrations),
    close: () => pool.end(),
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
