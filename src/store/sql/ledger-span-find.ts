import type { SqlDb, SqlValue } from '../../db/sql-db';
import type { LedgerHit, LedgerLookup } from '../ledger-types';
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
  const sql = !byRecipient
    ? `SELECT * FROM (${where('1 = 1')}) h`
    : `SELECT * FROM (${where("s.outcome = 'sent'")} UNION ALL ${where("s.outcome <> 'sent'")}) h`;
  const all = !byRecipient ? params : [...params, ...params];
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
