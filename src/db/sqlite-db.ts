import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreMigrationError } from '../errors/store-migration-error';
import { MIGRATIONS_TABLE, type InsertRowsInput, type Migration, type SqlDb, type SqlStatement, type SqlValue } from './sql-db';

/**
 * better-sqlite3 is synchronous: every method runs to completion before yielding, so statements of
 * concurrent callers can never interleave inside a transaction.
 */
export function openSqliteDb(file: string): SqlDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets the CLI read while a worker writes; the busy timeout covers a second writing process.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');

  const prepare = statementCache(db);
  const runOne = (statement: SqlStatement) => prepare(statement.sql).run(...(statement.params ?? [])).changes;
  // Each call first lets timers and I/O run: a million-row stream is many synchronous pages, and
  // without a macrotask break between them heartbeats and cancellation would wait until the end.
  const turn = () => new Promise<void>((resolveTurn) => setImmediate(resolveTurn));

  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly SqlValue[] = []) => {
      await turn();
      return prepare(sql).all(...params) as T[];
    },
    run: async (sql, params = []) => {
      await turn();
      return runOne({ sql, params });
    },
    atomic: async (statements) => {
      await turn();
      return db.transaction(() => statements.map(runOne))();
    },
    insertRows: async (input) => {
      await turn();
      return insertRows(db, prepare, input);
    },
    migrate: async (migrations) => migrate(db, migrations),
    close: async () => {
      db.close();
    },
  };
}

/** Statements kept prepared per connection; the store's statement texts are few, batch shapes vary a little. */
const CACHED_STATEMENTS = 100;

/**
 * Prepared statements by SQL text: preparing costs as much as running a short query (a 500-id
 * look-up is mostly parsing). When full the cache starts over; no statement is ever wrong, only re-prepared.
 */
function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= CACHED_STATEMENTS) cache.clear();
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

/** Rows per multi-row INSERT: far fewer VM calls than one statement per row, well under SQLite's variable limit. */
const ROWS_PER_STATEMENT = 100;

function insertRows(
  db: Database.Database,
  prepared: (sql: string) => Database.Statement,
  { table, columns, rows }: InsertRowsInput,
): number {
  if (rows.length === 0) return 0;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const prepare = (count: number) =>
    prepared(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(count).fill(tuple).join(', ')} ON CONFLICT DO NOTHING`);
  const full = rows.length >= ROWS_PER_STATEMENT ? prepare(ROWS_PER_STATEMENT) : undefined;
  const single = prepare(1);
  return db.transaction(() => {
    let inserted = 0;
    let start = 0;
    for (; full && start + ROWS_PER_STATEMENT <= rows.length; start += ROWS_PER_STATEMENT) {
      const params: SqlValue[] = [];
      for (let r = start; r < start + ROWS_PER_STATEMENT; r += 1) params.push(...(rows[r] as SqlValue[]));
      inserted += full.run(...params).changes;
    }
    for (; start < rows.length; start += 1) inserted += single.run(...(rows[start] as SqlValue[])).changes;
    return inserted;
  })();
}

function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock first, so two processes cannot both apply the same version.
    const apply = db.transaction(() => {
      const done = db.prepare(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE version = ?`).get(migration.version);
      if (done) return false;
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`).run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      return true;
    });
    try {
      if (apply.immediate()) applied.push(migration.version);
    } catch (error) {
      throw new StoreMigrationError('sqlite', migration.version, migration.name, { cause: error });
    }
  }
  return applied;
}
