import type { SqlDb, SqlValue } from '../../db/sql-db';
import type { LedgerStore } from '../state-store';
import type { LedgerCounts, SentBatch } from '../ledger-types';
import { assertCopyable } from '../../db/copy-text';
import { LEDGER_COLUMNS, ledgerValues, type LedgerRow } from './ledger-rows';
import { runSlots, type RunSlot } from './ledger-run-slots';
import { SELECT_SPAN, spanEntry, type SpanRow } from './ledger-span-rows';
import { recordRunEntries, type SpanRecordOptions } from './ledger-span-record';
import { findLedgerHits } from './ledger-span-find';
import { sentBatchValues, toSentBatch, withLeftOut, type SentBatchRow } from './sent-batch-rows';
import { sentEntitiesOf } from './sql-sent-entities';

interface CountRow {
  outcome: LedgerRow['outcome'];
  result_code: number | string | null;
  reason: string | null;
  field: string | null;
  n: number | string;
}

/** The spans holding a run's entries for one list: those whose runs include the run's seq. */
const IN_SLOT = '(s.list_id = ? AND s.first_seq <= ? AND s.last_seq >= ?)';
const slotParams = (slot: RunSlot) => [slot.listId, slot.seq, slot.seq];

/**
 * The per-recipient ledger, stored as spans (docs/state-store.md): a run's entries are the spans of
 * its list that cover its seq, so an entry unchanged since the previous run costs no new row.
 */
export function createSqlLedgerStore(db: SqlDb, options: SpanRecordOptions = { keptContinuesSent: true }): LedgerStore {
  return {
    async record(entries) {
      const rows = entries.map(ledgerValues);
      // Before any look-up: PostgreSQL would refuse a NUL in a parameter with a protocol error, not
      // the column and entry (SQLite stores it).
      if (db.dialect === 'postgres') assertCopyable('ledger_spans', LEDGER_COLUMNS, rows);
      const byRun = new Map<string, typeof rows>();
      for (const row of rows) {
        const key = `${String(row[0])}\u0000${String(row[1])}`;
        // Pushed, not spread into a new array per row: that copied the group once per entry (quadratic).
        const group = byRun.get(key);
        if (group) group.push(row);
        else byRun.set(key, [row]);
      }
      let inserted = 0;
      for (const group of byRun.values())
        inserted += await recordRunEntries(db, String(group[0]![0]), String(group[0]![1]), group, options);
      return inserted;
    },

    async clearExclusions(runId, listKey) {
      const [slot] = await runSlots(db, runId, listKey);
      if (!slot) return 0;
      // Sanitized entries come from the export too: a restarted export records them again. The refill's
      // own exclusions (negative row numbers: snapshot positions, e.g. opted out at Optimizely) stay: a
      // re-export after a long pause mid-refill does not record them again for a batch already sent.
      return cutRunOut(db, slot.seq, {
        where: "list_id = ? AND outcome IN ('excluded', 'sanitized') AND row_no > 0",
        params: [slot.listId],
      });
    },

    async withdrawSent(runId, listKey, recipientIds) {
      const [slot] = await runSlots(db, runId, listKey);
      if (!slot || recipientIds.length === 0) return 0;
      let withdrawn = 0;
      for (let from = 0; from < recipientIds.length; from += WITHDRAW_IDS_PER_STATEMENT) {
        const ids = [...new Set(recipientIds.slice(from, from + WITHDRAW_IDS_PER_STATEMENT))];
        // A sent span's kept part (`kept_from` <= seq) holds a kept entry in this run: not a sent one.
        withdrawn += await cutRunOut(db, slot.seq, {
          where: `list_id = ? AND outcome IN ('sent', 'rejected') AND recipient_id IN (${ids.map(() => '?').join(', ')})
                  AND (kept_from IS NULL OR kept_from > ?)`,
          params: [slot.listId, ...ids, slot.seq],
        });
      }
      return withdrawn;
    },

    async count(runId, listKey) {
      const counts: LedgerCounts = { sent: 0, excluded: 0, rejected: 0, byResultCode: {}, byReason: {} };
      for (const slot of await runSlots(db, runId, listKey)) {
        // A sent span's kept part (`kept_from` <= the run's seq) counts as kept `unchanged`.
        const kept = 's.kept_from <= ?';
        const rows = await db.all<CountRow>(
          `SELECT CASE WHEN ${kept} THEN 'kept' ELSE s.outcome END AS outcome,
             CASE WHEN ${kept} THEN NULL ELSE s.result_code END AS result_code,
             CASE WHEN ${kept} THEN 'unchanged' ELSE s.reason END AS reason,
             CASE WHEN s.outcome = 'sanitized' THEN s.field END AS field, COUNT(*) AS n
           FROM ledger_spans s WHERE ${IN_SLOT} GROUP BY 1, 2, 3, 4`,
          [slot.seq, slot.seq, slot.seq, ...slotParams(slot)],
        );
        for (const row of rows) addCount(counts, row);
      }
      return counts;
    },

    async *stream(runId, options = {}) {
      const window = options.pageSize ?? 1000;
      const slots = await runSlots(db, runId, options.listKey);
      if (slots.length === 0) return;
      const inRun = slots.map(() => IN_SLOT).join(' OR ');
      const params = slots.flatMap(slotParams);
      const bySlot = new Map(slots.map((slot) => [slot.listId, slot]));
      // Windows of ids rather than `id > last LIMIT n`: with fresh bulk inserts PostgreSQL may lack
      // statistics and bitmap-scan the whole rest of the list per page. Entries recorded after the
      // stream starts are not included.
      const [bounds] = await db.all<{ lo: number | string | null; hi: number | string | null }>(
        `SELECT MIN(s.id) AS lo, MAX(s.id) AS hi FROM ledger_spans s WHERE ${inRun}`,
        params,
      );
      if (bounds?.lo == null || bounds.hi == null) return;
      for (let from = Number(bounds.lo); from <= Number(bounds.hi); from += window) {
        const rows = await db.all<SpanRow>(
          `SELECT ${SELECT_SPAN} FROM ledger_spans s WHERE s.id >= ? AND s.id < ? AND (${inRun}) ORDER BY s.id`,
          [from, from + window, ...params],
        );
        for (const row of rows) {
          const slot = bySlot.get(Number(row.list_id));
          if (slot) yield spanEntry(row, runId, slot.listKey, slot.seq);
        }
      }
    },

    find: (lookup) => findLedgerHits(db, lookup),

    // One id through the many-id look-up: both answer alike by construction (kept fallback included).
    async sentEntities(query) {
      const all = (await sentEntitiesOf(db, { recipientIds: [query.recipientId], client: query.client })).get(query.recipientId) ?? [];
      return query.listKey === undefined ? all : all.filter((entity) => entity.listKey === query.listKey);
    },

    sentEntitiesOf: (query) => sentEntitiesOf(db, query),

    recordBatch: async (batch) => (await recordSentBatches(db, [batch])) > 0,

    recordBatches: (batches) => recordSentBatches(db, batches),

    leaveOutOfBatch: (batch) => leaveOutOfSentBatch(db, batch),

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

/** Recipient ids per withdrawal statement, far below both engines' parameter limits. */
const WITHDRAW_IDS_PER_STATEMENT = 500;

/**
 * Cuts the run of `seq` out of the spans `where` selects, in one transaction: a span of that run
 * alone goes, one that starts or ends there is shortened, one across it is split around it (an
 * export restarted late, a withdrawal in a run that continued an older span). A tail keeps its
 * `kept_from`. Returns how many of the run's entries were cut out.
 */
async function cutRunOut(db: SqlDb, seq: number, spans: { where: string; params: SqlValue[] }): Promise<number> {
  const { where, params } = spans;
  const [, alone, head, tail] = await db.atomic([
    {
      sql: `INSERT INTO ledger_spans (list_id, outcome, recipient_id, entity_type, entity_id, result_code, row_no, reason, field, first_seq, last_seq, kept_from)
            SELECT list_id, outcome, recipient_id, entity_type, entity_id, result_code, row_no, reason, field, ?, last_seq, kept_from
            FROM ledger_spans WHERE ${where} AND first_seq < ? AND last_seq > ?`,
      params: [seq + 1, ...params, seq, seq],
    },
    { sql: `DELETE FROM ledger_spans WHERE ${where} AND first_seq = ? AND last_seq = ?`, params: [...params, seq, seq] },
    {
      sql: `UPDATE ledger_spans SET first_seq = ? WHERE ${where} AND first_seq = ? AND last_seq > ?`,
      params: [seq + 1, ...params, seq, seq],
    },
    {
      sql: `UPDATE ledger_spans SET last_seq = ? WHERE ${where} AND first_seq < ? AND last_seq >= ?`,
      params: [seq - 1, ...params, seq, seq],
    },
  ]);
  return (alone ?? 0) + (head ?? 0) + (tail ?? 0);
}

/**
 * The batch's stored codes with `positions` marked left out, written only over the codes just read
 * (another writer in between: read again), so a concurrent change is never overwritten.
 */
async function leaveOutOfSentBatch(
  db: SqlDb,
  batch: { runId: string; listKey: string; batchNo: number; positions: readonly number[] },
): Promise<boolean> {
  const key = [batch.runId, batch.listKey, batch.batchNo];
  for (let tries = 0; tries < 3; tries += 1) {
    const [row] = await db.all<{ result_codes: string }>(
      'SELECT result_codes FROM sent_batches WHERE run_id = ? AND list_key = ? AND batch_no = ?',
      key,
    );
    if (!row) return false;
    const codes = withLeftOut(row.result_codes, batch.positions, batch);
    if (codes === row.result_codes) return false;
    const changed = await db.run(
      'UPDATE sent_batches SET result_codes = ? WHERE run_id = ? AND list_key = ? AND batch_no = ? AND result_codes = ?',
      [codes, ...key, row.result_codes],
    );
    if (changed > 0) return true;
  }
  throw new Error(`Sent batch ${batch.batchNo} of list ${batch.listKey} kept changing while positions were left out of it`);
}

/** Rows per INSERT of sent batches: 600 parameters, below both engines' limits. */
const SENT_BATCHES_PER_STATEMENT = 100;

/**
 * Every batch is checked before anything is written, so a bad one fails the group with nothing
 * recorded; one statement is atomic on both engines, several go in one transaction.
 */
async function recordSentBatches(db: SqlDb, batches: readonly SentBatch[]): Promise<number> {
  const recordedAt = new Date().toISOString();
  const rows = batches.map((batch) => sentBatchValues(batch, recordedAt));
  const statements = [];
  for (let from = 0; from < rows.length; from += SENT_BATCHES_PER_STATEMENT) {
    const part = rows.slice(from, from + SENT_BATCHES_PER_STATEMENT);
    statements.push({
      sql: `INSERT INTO sent_batches (run_id, list_key, batch_no, snapshot_ref, result_codes, recorded_at)
            VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      params: part.flat(),
    });
  }
  if (statements.length === 0) return 0;
  if (statements.length === 1) return db.run(statements[0]!.sql, statements[0]!.params);
  return (await db.atomic(statements)).reduce((sum, n) => sum + n, 0);
}

function addCount(counts: LedgerCounts, row: CountRow): void {
  const n = Number(row.n);
  if (row.outcome === 'sanitized') {
    counts.sanitized = (counts.sanitized ?? 0) + n;
    const byField = (counts.bySanitizedField ??= {});
    byField[row.field ?? ''] = (byField[row.field ?? ''] ?? 0) + n;
    return;
  }
  if (row.outcome === 'rejected') {
    counts.rejected += n;
    return;
  }
  if (row.outcome === 'kept' || row.outcome === 'removed') {
    const byReason = (counts[row.outcome] ??= {});
    byReason[row.reason ?? ''] = (byReason[row.reason ?? ''] ?? 0) + n;
    return;
  }
  counts[row.outcome] += n;
  const bucket = row.outcome === 'sent' ? counts.byResultCode : counts.byReason;
  const label = row.outcome === 'sent' ? String(Number(row.result_code)) : (row.reason ?? '');
  bucket[label] = (bucket[label] ?? 0) + n;
}
