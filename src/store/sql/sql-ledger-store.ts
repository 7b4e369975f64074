import type { SqlDb } from '../../db/sql-db';
import { whereClause } from '../../db/where';
import type { LedgerStore } from '../state-store';
import type { LedgerCounts, LedgerHit, ResultCode, SentBatch, SentEntity } from '../ledger-types';
import { LEDGER_COLUMNS, LEDGER_TYPES, ledgerValues, toLedgerEntry, type LedgerRow } from './ledger-rows';
import { sentBatchValues, toSentBatch, type SentBatchRow } from './sent-batch-rows';

// Casts, because PostgreSQL types a bare parameter in a SELECT list as text.
const INSERT_REJECTED = `INSERT INTO ledger_entries (${LEDGER_COLUMNS.join(', ')})
  SELECT ${LEDGER_TYPES.map((type) => (type === 'text' ? 'CAST(? AS TEXT)' : 'CAST(? AS INTEGER)')).join(', ')}
  WHERE NOT EXISTS (SELECT 1 FROM ledger_entries WHERE run_id = ? AND list_key = ? AND recipient_id = ? AND outcome = 'rejected')`;

const SELECT_ENTRY = `l.id, l.${LEDGER_COLUMNS.join(', l.')}`;

interface CountRow {
  outcome: LedgerRow['outcome'];
  result_code: number | null;
  reason: string | null;
  field: string | null;
  n: number | string;
}

export function createSqlLedgerStore(db: SqlDb): LedgerStore {
  return {
    async record(entries) {
      const rows = entries.map(ledgerValues);
      const rejected = rows.filter((row) => row[5] === 'rejected');
      const others = rejected.length === 0 ? rows : rows.filter((row) => row[5] !== 'rejected');
      let inserted = await db.insertRows({ table: 'ledger_entries', columns: LEDGER_COLUMNS, types: LEDGER_TYPES, rows: others });
      // Rare (a few per refill) and without a unique index of their own: checked one by one.
      for (const row of rejected) inserted += await db.run(INSERT_REJECTED, [...row, ...row.slice(0, 3)]);
      return inserted;
    },

    clearExclusions(runId, listKey) {
      // Sanitized entries come from the export too: a restarted export records them again.
      return db.run("DELETE FROM ledger_entries WHERE run_id = ? AND list_key = ? AND outcome IN ('excluded', 'sanitized')", [
        runId,
        listKey,
      ]);
    },

    async count(runId, listKey) {
      const rows = await db.all<CountRow>(
        `SELECT outcome, result_code, reason, CASE WHEN outcome = 'sanitized' THEN field END AS field, COUNT(*) AS n FROM ledger_entries
         WHERE run_id = ? ${listKey === undefined ? '' : 'AND list_key = ?'} GROUP BY 1, 2, 3, 4`,
        listKey === undefined ? [runId] : [runId, listKey],
      );
      const counts: LedgerCounts = { sent: 0, excluded: 0, rejected: 0, byResultCode: {}, byReason: {} };
      for (const row of rows) {
        const n = Number(row.n);
        if (row.outcome === 'sanitized') {
          counts.sanitized = (counts.sanitized ?? 0) + n;
          const byField = (counts.bySanitizedField ??= {});
          byField[row.field ?? ''] = (byField[row.field ?? ''] ?? 0) + n;
          continue;
        }
        if (row.outcome === 'rejected') {
          counts.rejected += n;
          continue;
        }
        if (row.outcome === 'kept' || row.outcome === 'removed') {
          const byReason = (counts[row.outcome] ??= {});
          byReason[row.reason ?? ''] = (byReason[row.reason ?? ''] ?? 0) + n;
          continue;
        }
        counts[row.outcome] += n;
        const bucket = row.outcome === 'sent' ? counts.byResultCode : counts.byReason;
        const label = row.outcome === 'sent' ? String(row.result_code) : (row.reason ?? '');
        bucket[label] = (bucket[label] ?? 0) + n;
      }
      return counts;
    },

    async *stream(runId, options = {}) {
      const window = options.pageSize ?? 1000;
      // Windows of ids rather than `id > last LIMIT n`: with fresh bulk inserts PostgreSQL may lack
      // statistics and bitmap-scan the whole rest of the run per page. Entries recorded after the
      // stream starts are not included.
      const [bounds] = await db.all<{ lo: number | string | null; hi: number | string | null }>(
        'SELECT MIN(id) AS lo, MAX(id) AS hi FROM ledger_entries WHERE run_id = ?',
        [runId],
      );
      if (bounds?.lo == null || bounds.hi == null) return;
      const { clause, params } = whereClause([
        ['l.run_id = ?', runId],
        ['l.list_key = ?', options.listKey],
      ]);
      for (let from = Number(bounds.lo); from <= Number(bounds.hi); from += window) {
        const rows = await db.all<LedgerRow>(
          `SELECT ${SELECT_ENTRY} FROM ledger_entries l ${clause} AND l.id >= ? AND l.id < ? ORDER BY l.id`,
          [...params, from, from + window],
        );
        for (const row of rows) yield toLedgerEntry(row);
      }
    },

    async find(lookup) {
      const key: [string, string][] =
        'recipientId' in lookup
          ? [['l.recipient_id = ?', lookup.recipientId]]
          : [
              ['l.entity_id = ?', lookup.entityId],
              ['l.entity_type = ?', lookup.entityType],
            ];
      const { clause, params } = whereClause([...key, ['r.client = ?', lookup.client], ['l.list_key = ?', lookup.listKey]]);
      const rows = await db.all<LedgerRow & { client: string | null; run_started_at: string | null }>(
        `SELECT ${SELECT_ENTRY}, r.client, r.started_at AS run_started_at
         FROM ledger_entries l LEFT JOIN runs r ON r.run_id = l.run_id
         ${clause} ORDER BY l.id DESC LIMIT ?`,
        [...params, lookup.limit ?? 20],
      );
      return rows.map((row): LedgerHit => ({ ...toLedgerEntry(row), client: row.client, runStartedAt: row.run_started_at }));
    },

    async sentEntities({ recipientId, client, listKey }) {
      const { clause, params } = whereClause([
        ['l.recipient_id = ?', recipientId],
        ['l.outcome = ?', 'sent'],
        ['r.client = ?', client],
        ['l.list_key = ?', listKey],
      ]);
      // The newest sent entry of each list, however often the recipient was sent since: a fixed LIMIT
      // over all entries would drop the lists sent longest ago, and an unsubscribe would then miss them.
      const rows = await db.all<LedgerRow>(
        `SELECT ${SELECT_ENTRY} FROM ledger_entries l WHERE l.id IN (
           SELECT MAX(l.id) FROM ledger_entries l LEFT JOIN runs r ON r.run_id = l.run_id ${clause} GROUP BY l.list_key)
         ORDER BY l.id DESC`,
        params,
      );
      const newestPerList = new Map<string, SentEntity>();
      for (const row of rows) {
        if (newestPerList.has(row.list_key)) continue;
        newestPerList.set(row.list_key, {
          runId: row.run_id,
          listKey: row.list_key,
          entityType: row.entity_type,
          entityId: row.entity_id,
          resultCode: Number(row.result_code) as ResultCode,
        });
      }
      return [...newestPerList.values()];
    },

    async recordBatch(batch) {
      const values = sentBatchValues(batch, new Date().toISOString());
      const inserted = await db.run(
        `INSERT INTO sent_batches (run_id, list_key, batch_no, snapshot_ref, result_codes, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        values,
      );
      return inserted > 0;
    },

    async batches(runId, listKey, options = {}): Promise<SentBatch[]> {
      const rows = await db.all<SentBatchRow>(
        `SELECT run_id, list_key, batch_no, snapshot_ref, result_codes FROM sent_batches
         WHERE run_id = ? AND list_key = ? AND batch_no >= ? ORDER BY batch_no LIMIT ?`,
        [runId, listKey, options.fromBatch ?? 0, options.limit ?? 100],
      );
      return rows.map(toSentBatch);
    },
  };
}
