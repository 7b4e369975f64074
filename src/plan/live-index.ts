import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openScratch } from '../db/scratch-sqlite';
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
  /** Records live rows (a page's); how many of them were new: fewer than given when an id repeats. */
  putAll(rows: readonly LiveRow[]): number;
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
  unseenRows(): Generator<LiveRow>;
  /** Forgets every row (a read that is started again). */
  reset(): void;
  /** Deletes the scratch file; safe to call twice. */
  close(): void;
}

export interface LiveRow {
  recipientId: string;
  values: Cell[];
}

const BATCH = 5_000;
/** Rows per multi-row insert: one statement per hundred rows of a page instead of one per row. */
const ROWS_PER_INSERT = 100;

/** A new scratch index in its own temporary folder, which close() deletes. */
export function createLiveIndex(options: { directory?: string } = {}): LiveIndex {
  const dir = mkdtempSync(join(options.directory ?? tmpdir(), 'campaign-sync-plan-'));
  const file = join(dir, 'live.db');
  const db = openScratch(file);
  // `seq` numbers the rows in the order they were recorded: which of them were seen is a bit per row
  // in memory (indexOver), not a write to the file for every desired recipient.
  db.exec('CREATE TABLE live (id TEXT PRIMARY KEY, cells TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID');
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

/** Which rows (by `seq`) were seen: one bit each, grown as needed (a million rows take 125 KB). */
class SeenBits {
  private bits = new Uint8Array(1024);

  /** Marks `seq` seen; false when it was seen already. */
  mark(seq: number): boolean {
    const byte = seq >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (seq & 7);
    if ((this.bits[byte]! & bit) !== 0) return false;
    this.bits[byte]! |= bit;
    return true;
  }

  has(seq: number): boolean {
    return ((this.bits[seq >>> 3] ?? 0) & (1 << (seq & 7))) !== 0;
  }

  clear(): void {
    this.bits.fill(0);
  }
}

function indexOver(db: Database.Database, file: string, removeFiles: () => void): LiveIndex {
  const claimAbsent = db.prepare('INSERT OR IGNORE INTO absent (id) VALUES (?)');
  const select = db.prepare<[string], { cells: string; seq: number }>('SELECT cells, seq FROM live WHERE id = ?');
  const insertMany = (rows: number) =>
    db.prepare(`INSERT OR IGNORE INTO live (id, cells, seq) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(', ')}`);
  const insertOne = insertMany(1);
  const insertHundred = insertMany(ROWS_PER_INSERT);
  const seen = new SeenBits();
  let pending = 0;
  let count = 0;
  // The next row's number. Only the connection that records rows numbers them (the reading thread's,
  // or this one when the read runs here); numbers are never reused until the rows are forgotten.
  let nextSeq = 0;
  let closed = false;
  const begin = () => {
    if (pending === 0) db.exec('BEGIN');
  };
  const commit = () => {
    if (pending > 0) db.exec('COMMIT');
    pending = 0;
  };
  const counted = (writes: number) => {
    pending += writes;
    if (pending >= BATCH) commit();
  };
  const insert = (statement: Database.Statement, rows: readonly LiveRow[], from: number, to: number): number => {
    const params: unknown[] = [];
    for (let i = from; i < to; i++) params.push(rows[i]!.recipientId, JSON.stringify(rows[i]!.values), nextSeq++);
    return statement.run(params).changes;
  };
  const putAll = (rows: readonly LiveRow[]): number => {
    if (rows.length === 0) return 0;
    begin();
    let added = 0;
    let at = 0;
    for (; at + ROWS_PER_INSERT <= rows.length; at += ROWS_PER_INSERT) added += insert(insertHundred, rows, at, at + ROWS_PER_INSERT);
    for (; at < rows.length; at++) added += insert(insertOne, rows, at, at + 1);
    count += added;
    counted(rows.length);
    return added;
  };
  /** The live row of an id, marking it seen: undefined when absent, `repeated` when seen before. */
  const see = (recipientId: string): Cell[] | 'repeated' | undefined => {
    const row = select.get(recipientId);
    if (row === undefined) return undefined;
    return seen.mark(row.seq) ? (JSON.parse(row.cells) as Cell[]) : 'repeated';
  };
  // SQLite asks the bits while it scans, so only unseen rows (the few leavers) come out to JavaScript.
  db.function('campaign_sync_unseen', { deterministic: false }, (seq) => (seen.has(Number(seq)) ? 0 : 1));
  const unseenRows = function* (withValues: boolean): Generator<LiveRow> {
    commit();
    const columns = withValues ? 'id, cells' : 'id';
    const rows = db
      .prepare<[], [string, string?]>(`SELECT ${columns} FROM live WHERE campaign_sync_unseen(seq) ORDER BY id`)
      .raw()
      .iterate();
    for (const [recipientId, cells] of rows) yield { recipientId, values: withValues ? (JSON.parse(cells!) as Cell[]) : [] };
  };
  return {
    file,
    put: (recipientId, values) => putAll([{ recipientId, values: values as Cell[] }]) === 1,
    putAll,
    take(recipientId) {
      // A second take of the same id still answers its values (the plan's diff takes each id once).
      const row = select.get(recipientId);
      if (row === undefined) return undefined;
      seen.mark(row.seq);
      return JSON.parse(row.cells) as Cell[];
    },
    claim(recipientId) {
      const live = see(recipientId);
      if (live === 'repeated') return { state: 'repeated' };
      if (live !== undefined) return { state: 'live', values: live };
      begin();
      const first = claimAbsent.run(recipientId).changes === 1;
      counted(1);
      return first ? { state: 'absent' } : { state: 'repeated' };
    },
    size: () => count,
    reset() {
      commit();
      db.exec('DELETE FROM live; DELETE FROM absent');
      seen.clear();
      count = 0;
      nextSeq = 0;
    },
    *unseen() {
      for (const row of unseenRows(false)) yield row.recipientId;
    },
    unseenRows: () => unseenRows(true),
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
