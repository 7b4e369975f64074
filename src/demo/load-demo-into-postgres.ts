import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DEMO_TABLE_COLUMNS, DEMO_TABLES, DEMO_VIEWS } from './demo-schema';

const BATCH = 500;

/**
 * Copies a demo CRM from its SQLite file into an empty PostgreSQL database (same DDL), so both SQL
 * adapters run against identical data. Multi-row INSERTs in one transaction: fine for test sizes.
 */
export async function loadDemoCrmIntoPostgres(sqliteFile: string, url: string): Promise<void> {
  const source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const target = new Client({ connectionString: url });
  await target.connect();
  try {
    await target.query('BEGIN');
    for (const ddl of [...DEMO_TABLES, ...DEMO_VIEWS]) await target.query(ddl);
    for (const [table, columns] of Object.entries(DEMO_TABLE_COLUMNS)) {
      let batch: unknown[][] = [];
      for (const row of source
        .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
        .raw()
        .iterate() as IterableIterator<unknown[]>) {
        batch.push(row);
        if (batch.length === BATCH) {
          await insertBatch(target, table, columns, batch);
          batch = [];
        }
      }
      if (batch.length > 0) await insertBatch(target, table, columns, batch);
    }
    await target.query('COMMIT');
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    source.close();
    await target.end();
  }
}

async function insertBatch(client: Client, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  const placeholders = rows.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
  await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders.join(', ')}`, rows.flat());
}
