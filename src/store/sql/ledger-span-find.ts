import type { SqlDb, SqlValue } from '../../db/sql-db';
import type { LedgerHit, LedgerLookup, ResultCode, SentEntity } from '../ledger-types';
import { SELECT_SPAN, spanEntry, type SpanRow } from './ledger-span-rows';

type HitRow = SpanRow & {
  reg_id: number | string;
  run_seq: number | string;
  run_id: string;
  list_key: string;
  client: string | null;
  run_started_at: string | null;
};

/**
 * One row per (span, run it covers): a span joined to the runs of its list within its seqs. Runs
 * pruned by the retention have no ledger_runs row any more, so their entries are gone with them.
 */
const HITS = `SELECT ${SELECT_SPAN}, lr.id AS reg_id, lr.seq AS run_seq, lr.run_id, lr.list_key, r.client, r.started_at AS run_started_at
  FROM ledger_spans s
  JOIN ledger_runs lr ON lr.list_id = s.list_id AND lr.seq >= s.first_seq AND lr.seq <= s.last_seq
  LEFT JOIN runs r ON r.run_id = lr.run_id`;

interface HitQuery {
  /** Conditions on the span (`s.`), each with one parameter. */
  key: Array<[string, SqlValue]>;
  client?: string;
  listKey?: string;
  outcome?: 'sent';
}

/** Hits newest first (run registration order, then span order), `limit` at most. */
async function hits(db: SqlDb, query: HitQuery, limit: number): Promise<HitRow[]> {
  const filters: Array<[string, SqlValue]> = [...query.key];
  if (query.client !== undefined) filters.push(['r.client = ?', query.client]);
  if (query.listKey !== undefined) filters.push(['lr.list_key = ?', query.listKey]);
  const where = (extra: string) => `${HITS} WHERE ${[...filters.map(([sql]) => sql), extra].join(' AND ')}`;
  const params = filters.map(([, value]) => value);
  // A recipient's sent and other entries sit in two partial indexes: one branch each.
  const byRecipient = query.key[0]?.[0] === 's.recipient_id = ?';
  // Only the runs a sent span holds the sent entry for: not those of its kept part.
  const sentOnly = "s.outcome = 'sent' AND (s.kept_from IS NULL OR lr.seq < s.kept_from)";
  const sql =
    query.outcome === 'sent' || !byRecipient
      ? `SELECT * FROM (${where(query.outcome === 'sent' ? sentOnly : '1 = 1')}) h`
      : `SELECT * FROM (${where("s.outcome = 'sent'")} UNION ALL ${where("s.outcome <> 'sent'")}) h`;
  const all = query.outcome === 'sent' || !byRecipient ? params : [...params, ...params];
  return db.all<HitRow>(`${sql} ORDER BY h.reg_id DESC, h.id DESC LIMIT ?`, [...all, limit]);
}

/** Entries for one recipient id or one entity, newest first: what `why` shows. */
export async function findLedgerHits(db: SqlDb, lookup: LedgerLookup): Promise<LedgerHit[]> {
  const key: Array<[string, SqlValue]> =
    'recipientId' in lookup
      ? [['s.recipient_id = ?', lookup.recipientId]]
      : [
          ['s.entity_id = ?', lookup.entityId],
          ['s.entity_type = ?', lookup.entityType],
        ];
  const rows = await hits(db, { key, client: lookup.client, listKey: lookup.listKey }, lookup.limit ?? 20);
  return rows.map((row): LedgerHit => ({
    ...spanEntry(row, row.run_id, row.list_key, Number(row.run_seq)),
    client: row.client,
    runStartedAt: row.run_started_at,
  }));
}

/**
 * Per list, the entity the recipient id was last sent as, however often it was sent since: a fixed
 * limit over all entries would drop the lists sent longest ago, and an unsubscribe would then miss them.
 */
export async function newestSentEntities(
  db: SqlDb,
  query: { recipientId: string; client?: string; listKey?: string },
): Promise<SentEntity[]> {
  // Every run the recipient was sent in within the retention: at most a few hundred rows.
  const rows = await hits(
    db,
    { key: [['s.recipient_id = ?', query.recipientId]], client: query.client, listKey: query.listKey, outcome: 'sent' },
    100_000,
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
}
