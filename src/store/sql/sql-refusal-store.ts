import type { SqlDb } from '../../db/sql-db';
import type { RefusalStore, RefusedValues } from '../refusal-types';

type Row = {
  client: string;
  list_key: string;
  recipient_key: string;
  values_hash: string;
  field: string | null;
  run_id: string;
  refused_at: string;
};

const COLUMNS = 'client, list_key, recipient_key, values_hash, field, run_id, refused_at';

export function createSqlRefusalStore(db: SqlDb): RefusalStore {
  return {
    async remember(entries) {
      if (entries.length === 0) return;
      await db.atomic(
        entries.map((e) => ({
          sql: `INSERT INTO refused_values (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (client, list_key, recipient_key) DO UPDATE SET values_hash = excluded.values_hash,
               field = excluded.field, run_id = excluded.run_id, refused_at = excluded.refused_at`,
          params: [e.client, e.listKey, e.recipientKey, e.valuesHash, e.field, e.runId, e.refusedAt],
        })),
      );
    },
    async forList(client, listKey) {
      const rows = await db.all<Row>(`SELECT ${COLUMNS} FROM refused_values WHERE client = ? AND list_key = ? ORDER BY recipient_key`, [
        client,
        listKey,
      ]);
      return rows.map(toRefusedValues);
    },
    async forget(client, listKey, recipientKeys) {
      if (recipientKeys.length === 0) return 0;
      const deleted = await db.atomic(
        recipientKeys.map((key) => ({
          sql: 'DELETE FROM refused_values WHERE client = ? AND list_key = ? AND recipient_key = ?',
          params: [client, listKey, key],
        })),
      );
      return deleted.reduce((sum, n) => sum + n, 0);
    },
  };
}

function toRefusedValues(row: Row): RefusedValues {
  return {
    client: row.client,
    listKey: row.list_key,
    recipientKey: row.recipient_key,
    valuesHash: row.values_hash,
    field: row.field,
    runId: row.run_id,
    refusedAt: row.refused_at,
  };
}
