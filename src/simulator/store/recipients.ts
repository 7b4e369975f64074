import type { Db } from './database';

export interface RecipientRow {
  recipientId: string;
  address: string;
  attrs: string;
  optinState: 'active' | 'pending';
  optinProcessId: number;
  created: number;
  modified: number;
}

const COLUMNS = `recipient_id AS recipientId, address, attrs, optin_state AS optinState,
  optin_process_id AS optinProcessId, created, modified`;

export function createRecipientStatements(db: Db) {
  const get = db.prepare(`SELECT ${COLUMNS} FROM recipients WHERE mandator_id = ? AND list_id = ? AND recipient_id = ?`);
  const insert = db.prepare('INSERT OR REPLACE INTO recipients VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertNew = db.prepare('INSERT INTO recipients VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const setAttrs = db.prepare(
    'UPDATE recipients SET attrs = ?, address = ?, modified = ? WHERE mandator_id = ? AND list_id = ? AND recipient_id = ?',
  );
  const remove = db.prepare('DELETE FROM recipients WHERE mandator_id = ? AND list_id = ? AND recipient_id = ?');
  const clear = db.prepare('DELETE FROM recipients WHERE mandator_id = ? AND list_id = ?');
  const count = db.prepare('SELECT count(*) AS n FROM recipients WHERE mandator_id = ? AND list_id = ?');
  // One query per batch instead of one per recipient: ids travel as a JSON array.
  const existing = db
    .prepare(
      'SELECT recipient_id FROM recipients WHERE mandator_id = ? AND list_id = ? AND recipient_id IN (SELECT value FROM json_each(?))',
    )
    .pluck();
  // The id order straight from the primary key (SQLite's byte order of the UTF-8 ids), without the rows.
  const idsAsc = db.prepare('SELECT recipient_id FROM recipients WHERE mandator_id = ? AND list_id = ? ORDER BY recipient_id ASC').pluck();
  const idsDesc = db
    .prepare('SELECT recipient_id FROM recipients WHERE mandator_id = ? AND list_id = ? ORDER BY recipient_id DESC')
    .pluck();
  // A page of the id order in one statement instead of one look-up per row (a list read's pages).
  const fromAsc = db.prepare(
    `SELECT ${COLUMNS} FROM recipients WHERE mandator_id = ? AND list_id = ? AND recipient_id >= ? ORDER BY recipient_id ASC LIMIT ?`,
  );
  const fromDesc = db.prepare(
    `SELECT ${COLUMNS} FROM recipients WHERE mandator_id = ? AND list_id = ? AND recipient_id <= ? ORDER BY recipient_id DESC LIMIT ?`,
  );
  const all = db.prepare(`SELECT ${COLUMNS} FROM recipients WHERE mandator_id = ? AND list_id = ? ORDER BY created, recipient_id`);
  return {
    get: (m: number, l: number, id: string) => get.get(m, l, id) as RecipientRow | undefined,
    insert(m: number, l: number, r: RecipientRow): void {
      insert.run(m, l, r.recipientId, r.address, r.attrs, r.optinState, r.optinProcessId, r.created, r.modified);
    },
    /** Inserts unless the id is in the list already; true when inserted (one lookup, not two). */
    insertNew(m: number, l: number, r: RecipientRow): boolean {
      return insertNew.run(m, l, r.recipientId, r.address, r.attrs, r.optinState, r.optinProcessId, r.created, r.modified).changes > 0;
    },
    setAttrs(m: number, l: number, id: string, attrs: string, address: string, now: number): void {
      setAttrs.run(attrs, address, now, m, l, id);
    },
    remove: (m: number, l: number, id: string) => remove.run(m, l, id).changes > 0,
    clear: (m: number, l: number) => clear.run(m, l).changes,
    count: (m: number, l: number) => (count.get(m, l) as { n: number }).n,
    all: (m: number, l: number) => all.all(m, l) as RecipientRow[],
    /** Every id of a list in recipient id order (SQLite's byte order of the UTF-8 ids). */
    idsById: (m: number, l: number, ascending: boolean) => (ascending ? idsAsc : idsDesc).all(m, l) as string[],
    /** Up to `limit` rows in id order (as idsById) from `first` on, `first` included when it is there. */
    runById: (m: number, l: number, first: string, limit: number, ascending: boolean) =>
      (ascending ? fromAsc : fromDesc).all(m, l, first, limit) as RecipientRow[],
    existingAmong: (m: number, l: number, ids: string[]) => new Set(existing.all(m, l, JSON.stringify(ids)) as string[]),
  };
}
