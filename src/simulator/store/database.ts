import Database from 'better-sqlite3';
import { SCHEMA } from './schema';

export type Db = Database.Database;

/** Opens (or creates) the simulator's SQLite file; ':memory:' works for throwaway state. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  // WAL + NORMAL: durable across a process restart, and fast enough for 1000-row transactions.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // 256 MB: a list of a million recipients stays in SQLite's cache instead of being re-read page by page.
  db.pragma('cache_size = -262144');
  db.exec(SCHEMA);
  return db;
}

export function readMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
