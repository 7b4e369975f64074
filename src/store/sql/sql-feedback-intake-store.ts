import type { SqlDb } from '../../db/sql-db';
import type { FeedbackIntakeStore } from '../state-store';
import type { FeedbackFileRecord, FeedbackFileStatus } from '../feedback-intake-types';
import { byteOrder } from './byte-order';
import { paddedInList } from './padded-in-list';

interface FileRow {
  client: string;
  checksum: string;
  name: string;
  size: number | string;
  run_id: string;
  status: string;
  reason: string;
  recorded_at: string;
}

const toRecord = (row: FileRow): FeedbackFileRecord => ({
  client: row.client,
  checksum: row.checksum,
  name: row.name,
  size: Number(row.size),
  runId: row.run_id,
  status: row.status as FeedbackFileStatus,
  reason: row.reason,
  recordedAt: row.recorded_at,
});

export function createSqlFeedbackIntakeStore(db: SqlDb): FeedbackIntakeStore {
  return {
    async file(client, checksum) {
      const [row] = await db.all<FileRow>('SELECT * FROM feedback_files WHERE client = ? AND checksum = ?', [client, checksum]);
      return row && toRecord(row);
    },

    async recordFile(r) {
      // A file once processed is never downgraded: re-dropped bytes are skipped before they could be quarantined.
      await db.run(
        `INSERT INTO feedback_files (client, checksum, name, size, run_id, status, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (client, checksum) DO UPDATE SET name = excluded.name, size = excluded.size, run_id = excluded.run_id,
         status = excluded.status, reason = excluded.reason, recorded_at = excluded.recorded_at
         WHERE feedback_files.status <> 'processed'`,
        [r.client, r.checksum, r.name, r.size, r.runId, r.status, r.reason, r.recordedAt],
      );
    },

    async setAsideFiles(client, runId) {
      // By bytes in both engines: a report lists the same files in the same order whatever the database's locale.
      const rows = await db.all<FileRow>(
        `SELECT * FROM feedback_files WHERE client = ? AND ((run_id = ? AND reason <> '') OR status = 'review')
         ORDER BY ${byteOrder(db, 'name')}, ${byteOrder(db, 'checksum')}`,
        [client, runId],
      );
      return rows.map(toRecord);
    },

    async appliedKeys(client, keys) {
      if (keys.length === 0) return new Set();
      const { marks, values } = paddedInList(keys);
      const rows = await db.all<{ event_key: string }>(
        `SELECT event_key FROM feedback_event_keys WHERE client = ? AND event_key IN (${marks})`,
        [client, ...values],
      );
      return new Set(rows.map((row) => row.event_key));
    },

    recordAppliedKeys(client, keys, runId) {
      if (keys.length === 0) return Promise.resolve(0);
      const at = new Date().toISOString();
      return db.insertRows({
        table: 'feedback_event_keys',
        columns: ['client', 'event_key', 'run_id', 'recorded_at'],
        types: ['text', 'text', 'text', 'text'],
        rows: [...new Set(keys)].map((key) => [client, key, runId, at]),
      });
    },

    deleteKeysBefore(before) {
      return db.run('DELETE FROM feedback_event_keys WHERE recorded_at < ?', [before]);
    },
  };
}
