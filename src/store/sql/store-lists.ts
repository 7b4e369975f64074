import type { SqlDb } from '../../db/sql-db';

/**
 * The small integer id of a client's list (`store_lists`), created on first use: snapshot contents
 * and ledger spans carry it instead of the client and list key text on every row.
 */
export async function storeListId(db: SqlDb, client: string, listKey: string): Promise<number> {
  await db.run('INSERT INTO store_lists (client, list_key) VALUES (?, ?) ON CONFLICT DO NOTHING', [client, listKey]);
  const [row] = await db.all<{ id: number | string }>('SELECT id FROM store_lists WHERE client = ? AND list_key = ?', [client, listKey]);
  if (!row) throw new Error(`store_lists has no row for client ${client} list ${listKey} right after inserting it`);
  return Number(row.id);
}
