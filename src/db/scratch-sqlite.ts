import Database from 'better-sqlite3';

/**
 * A connection to a scratch SQLite file (a temporary index that is deleted after use): durability is
 * worthless there, and a small cache keeps memory flat whatever the number of rows.
 */
export function openScratch(file: string, options: Database.Options = {}): Database.Database {
  const db = new Database(file, options);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000');
  return db;
}
