import type { SqlDb } from '../../db/sql-db';
import type { IncidentRecord, IncidentState, IncidentStore } from '../incident-types';

type Row = { client: string; incident_key: string; state: string; notified: string | null; run_id: string; changed_at: string };

const asState = (value: string | null): IncidentState | undefined => (value === 'open' || value === 'resolved' ? value : undefined);

export function createSqlIncidentStore(db: SqlDb): IncidentStore {
  return {
    async get(client, key) {
      const [row] = await db.all<Row>(
        'SELECT client, incident_key, state, notified, run_id, changed_at FROM alert_incidents WHERE client = ? AND incident_key = ?',
        [client, key],
      );
      if (!row) return undefined;
      const state = asState(row.state) ?? 'open';
      const notified = asState(row.notified);
      return {
        client: row.client,
        key: row.incident_key,
        state,
        ...(notified ? { notified } : {}),
        runId: row.run_id,
        changedAt: row.changed_at,
      };
    },
    async put(record: IncidentRecord) {
      await db.run(
        `INSERT INTO alert_incidents (client, incident_key, state, notified, run_id, changed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (client, incident_key) DO UPDATE SET state = excluded.state, notified = excluded.notified,
           run_id = excluded.run_id, changed_at = excluded.changed_at, updated_at = excluded.updated_at`,
        [record.client, record.key, record.state, record.notified ?? null, record.runId, record.changedAt, new Date().toISOString()],
      );
    },
  };
}
