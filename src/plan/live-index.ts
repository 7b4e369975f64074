import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Cell } from '../optimizely/client/optimizely-port';

// The live Optimizely list, read in full, must be compared with the export without holding either in
// memory: a million recipients in a Map would cost some hundred MB of heap. The live rows go to a
// scratch SQLite file keyed by recipient id (memory bounded by SQLite's page cache, ~2 MB here);
// the export's accepted rows are then looked up one by one and marked seen, and what was never seen is
// what the list holds and the CRM no longer wants.

export interface LiveIndex {
  /** The scratch file: a reading thread fills it through its own connection (attachLiveIndex). */
  readonly file: string;
  /** Records a live row; false when its id was already recorded (a page repeated a row). */
  put(recipientId: string, values: readonly Cell[]): boolean;
  /** The live values of an id, marking it seen; undefined when the list does not hold it. */
  take(recipientId: string): Cell[] | undefined;
  /** Distinct ids recorded. */
  size(): number;
  /**
   * Like `take`, but a desired id seen before (taken, or claimed while absent) answers `repeated`:
   * an input that names an id twice is classified once.
   */
  claim(recipientId: string): { state: 'live'; values: Cell[] } | { state: 'absent' } | { state: 'repeated' };
  /** Ids never taken, sorted. */
  unseen(): Generator<string>;
  /** Ids never taken with their live values, sorted. */
  unseenRows(): Generator<{ recipientId: string; values: Cell[] }>;
  /** Forgets every row (a read that is started again). */
  reset(): void;
  /** Deletes the scratch file; safe to call twice. */
  close(): void;
}

const BATCH = 5_000;

/** A new scratch index in its own temporary folder, which close() deletes. */
export function createLiveIndex(options: { directory?: string } = {}): LiveIndex {
  const dir = mkdtempSync(join(options.directory ?? tmpdir(), 'campaign-sync-plan-'));
  const file = join(dir, 'live.db');
  const db = openScratch(file);
  db.exec('CREATE TABLE live (id TEXT PRIMARY KEY, cells TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID');
  db.exec('CREATE TABLE absent (id TEXT PRIMARY KEY) WITHOUT ROWID');
  return indexOver(db, file, () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * A second connection to an index createLiveIndex made (on the thread that reads the list); its
 * close() only closes the connection. Its size() counts what it recorded since its last reset().
 */
export function attachLiveIndex(file: string): LiveIndex {
  return indexOver(openScratch(file, { fileMustExist: true }), file, () => undefined);
}

function openScratch(file: string, options: Database.Options = {}): Database.Database {
  const db = new Database(file, options);
  // Scratch data: durability is worthless, a small cache keeps memory flat.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000');
  return db;
}

function indexOver(db: Database.Database, file: string, removeFiles: () => void): LiveIndex {
  const claimAbsent = db.prepare('INSERT OR IGNORE INTO absent (id) VALUES (?)');
  const selectSeen = db.prepare<[string], { cells: string; seen: number }>('SELECT cells, seen FROM live WHERE id = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO live (id, cells) VALUES (?, ?)');
  const select = db.prepare<[string], { cells: string }>('SELECT cells FROM live WHERE id = ?');
  const mark = db.prepare('UPDATE live SET seen = 1 WHERE id = ?');
  let pending = 0;
  let count = 0;
  let closed = false;
  const commit = () => {
    if (pending > 0) db.exec('COMMIT');
    pending = 0;
  };
  return {
    file,
    put(recipientId, values) {
      if (pending === 0) db.exec('BEGIN');
      const added = insert.run(recipientId, JSON.stringify(values)).changes === 1;
      if (added) count += 1;
      if (++pending >= BATCH) commit();
      return added;
    },
    take(recipientId) {
      const row = select.get(recipientId);
      if (!row) return undefined;
      // Marks share the open transaction with the puts: one commit per batch, not one per id.
      if (pending === 0) db.exec('BEGIN');
      mark.run(recipientId);
      if (++pending >= BATCH) commit();
      return JSON.parse(row.cells) as Cell[];
    },
    claim(recipientId) {
      if (pending === 0) db.exec('BEGIN');
      const row = selectSeen.get(recipientId);
      let answer: ReturnType<LiveIndex['claim']>;
      if (row === undefined) answer = claimAbsent.run(recipientId).changes === 1 ? { state: 'absent' } : { state: 'repeated' };
      else if (row.seen === 1) answer = { state: 'repeated' };
      else {
        mark.run(recipientId);
        answer = { state: 'live', values: JSON.parse(row.cells) as Cell[] };
      }
      if (++pending >= BATCH) commit();
      return answer;
    },
    size: () => count,
    reset() {
      commit();
      db.exec('DELETE FROM live; DELETE FROM absent');
      count = 0;
    },
    *unseen() {
      commit();
      const rows = db.prepare<[], { id: string }>('SELECT id FROM live WHERE seen = 0 ORDER BY id').iterate();
      for (const row of rows) yield row.id;
    },
    *unseenRows() {
      commit();
      const rows = db.prepare<[], { id: string; cells: string }>('SELECT id, cells FROM live WHERE seen = 0 ORDER BY id').iterate();
      for (const row of rows) yield { recipientId: row.id, values: JSON.parse(row.cells) as Cell[] };
    },
    close() {
      if (closed) return;
      closed = true;
      // The reading thread's rows must reach the file before its connection goes.
      commit();
      db.close();
      removeFiles();
    },
  };
}
