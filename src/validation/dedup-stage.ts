import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Recipient } from './recipient';
import { dedupKey } from './recipient-id-key';
import type { SanitizedField } from './sendability';

// De-duplication with a preference cannot decide a row when it is read: a better entity for the same
// recipient id may come later. Keeping every candidate (or even every distinct id) in a Map grows
// with the list; instead the valid rows go to a scratch SQLite file and come back sorted by
// (recipient id, entity rank, entity id, row number): among rows of the same entity type the lowest
// entity id wins, so the result does not depend on the order the CRM returns rows in. SQLite's
// external merge sort keeps memory bounded by its page cache, so memory stays flat at any size, at the cost of writing each
// valid row to disk once.

export interface StagedRow {
  rowNumber: number;
  recipient: Recipient;
  /** False for the first row of its recipient id (compared by `dedupKey`) in preference order (the winner). */
  duplicate: boolean;
  /** Attribute values the export changed so the row can be sent (absent when none). */
  sanitized?: SanitizedField[];
}

export interface DedupStage {
  add(recipient: Recipient, rank: number, rowNumber: number, sanitized?: readonly SanitizedField[]): void;
  /** Every added row exactly once, winners and duplicates, sorted by recipient id key. */
  drain(): Generator<StagedRow>;
  /** Deletes the scratch file; safe to call twice. */
  close(): void;
}

const BATCH = 10_000;

export function createDedupStage(options: { directory?: string } = {}): DedupStage {
  const dir = mkdtempSync(join(options.directory ?? tmpdir(), 'campaign-sync-dedup-'));
  const db = new Database(join(dir, 'stage.db'));
  // Scratch data: durability is worthless here, speed and a small cache are what matter.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -8192');
  db.exec(
    'CREATE TABLE staged (recipient_id TEXT NOT NULL, rank INTEGER NOT NULL, entity_id TEXT NOT NULL, row_number INTEGER NOT NULL, payload TEXT NOT NULL, sanitized TEXT)',
  );
  const insert = db.prepare('INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?)');
  let pending = 0;
  let closed = false;

  const commit = (): void => {
    if (pending > 0) db.exec('COMMIT');
    pending = 0;
  };

  return {
    add(recipient, rank, rowNumber, sanitized) {
      if (pending === 0) db.exec('BEGIN');
      const notes = sanitized && sanitized.length > 0 ? JSON.stringify(sanitized) : null;
      insert.run(dedupKey(recipient.recipientId), rank, recipient.entityId, rowNumber, JSON.stringify(recipient), notes);
      if (++pending >= BATCH) commit();
    },
    *drain() {
      commit();
      const select = db
        .prepare('SELECT recipient_id, row_number, payload, sanitized FROM staged ORDER BY recipient_id, rank, entity_id, row_number')
        .raw();
      let previous: string | undefined;
      for (const [id, rowNumber, payload, notes] of select.iterate() as IterableIterator<[string, number, string, string | null]>) {
        const row: StagedRow = { rowNumber, recipient: JSON.parse(payload) as Recipient, duplicate: id === previous };
        if (notes !== null) row.sanitized = JSON.parse(notes) as SanitizedField[];
        yield row;
        previous = id;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
