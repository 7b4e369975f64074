// Positional paging (pageStart/pageSize) needs the list in order up to the page: an SQL OFFSET walks
// every row before the page and a sort in JavaScript sorts the whole list, so reading a list page by
// page cost its size squared (bench/plan). The order of a list's ids is worked out once and kept while
// the simulator's database is unchanged: SQLite's total_changes() of its one connection moves with
// every insert, update or delete (of any list), and the order is worked out again after one. A page
// then costs its own rows. Same rows, same order, same faults as computing it per page.
import type { Db } from '../store/database';

interface Orders {
  changes: () => number;
  entries: Map<string, { version: number; ids: string[] }>;
}

/** Orders kept per database: a few lists and sort orders read at the same time. */
const KEPT = 8;
const byDatabase = new WeakMap<Db, Orders>();

/** The ids of one list in one order (`key` names both), from `compute` unless the database is unchanged since. */
export function orderedIds(db: Db, key: string, compute: () => string[]): string[] {
  let orders = byDatabase.get(db);
  if (!orders) {
    const statement = db.prepare('SELECT total_changes()').pluck();
    orders = { changes: () => statement.get() as number, entries: new Map() };
    byDatabase.set(db, orders);
  }
  const version = orders.changes();
  const kept = orders.entries.get(key);
  if (kept && kept.version === version) return kept.ids;
  const ids = compute();
  orders.entries.delete(key);
  orders.entries.set(key, { version, ids });
  if (orders.entries.size > KEPT) orders.entries.delete(orders.entries.keys().next().value as string);
  return ids;
}
