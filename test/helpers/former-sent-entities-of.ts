import type { SqlDb, SqlValue } from '../../src/db/sql-db';
import type { ResultCode, SentEntity } from '../../src/store/ledger-types';
import { runConsentField, type RunConsentColumns } from '../../src/store/sql/run-consent-columns';

// The reference model for the sent-entity look-up (src/store/sql/sql-sent-entities.ts): the look-up
// as it was before it probed the spans once and asked the newest run per distinct range of seqs,
// one sub-query per span and branch. Kept as it was (imports only adjusted) so the store contract
// (store-contract-sent-entities.ts) can check on both engines that the rewrite answers exactly alike.

/** Ids per statement: well under both engines' parameter limits, and a page of responses is 1,000 rows. */
const IDS_PER_STATEMENT = 500;

interface NewestSentRow extends RunConsentColumns {
  span_id: number | string;
  recipient_id: string;
  entity_type: string;
  entity_id: string;
  result_code: number | string | null;
  reg_id: number | string;
  run_id: string;
  list_key: string;
  /** The consent the run recorded (migration 14); null when unknown. */
  /** Whether the row is the newest run of a sent entry, or of a kept one (the fallback). */
  kind: 'sent' | 'kept';
}

/**
 * Seqs of a span holding the entry of `kind`: a sent span's sent part (before `kept_from`), its kept
 * part (from `kept_from`), or the whole of a kept span (the layout before migration 13).
 */
const SEQS = {
  sent: 'n.seq >= s.first_seq AND n.seq <= COALESCE(s.kept_from - 1, s.last_seq)',
  continuedKept: 'n.seq >= s.kept_from AND n.seq <= s.last_seq',
  keptSpan: 'n.seq >= s.first_seq AND n.seq <= s.last_seq',
};

/** One branch of `newestSql`: per span of `outcome` of the asked ids, the newest run within `seqs`. */
function newestBranch(kind: 'sent' | 'kept', outcome: string, seqs: string, ids: number, client: string): string {
  return `SELECT s.id AS span_id, s.recipient_id, s.entity_type, s.entity_id, s.result_code, '${kind}' AS kind,
        (SELECT MAX(n.id) FROM ledger_runs n WHERE n.list_id = s.list_id AND ${seqs} ${client}) AS newest
      FROM ledger_spans s
      WHERE ${outcome} AND s.recipient_id IN (${Array.from({ length: ids }, () => '?').join(', ')})`;
}

/**
 * Per span of the asked ids, the newest run it covers (highest ledger_runs id within its seqs) with
 * the sent entry, and with a kept entry (a sent span's kept part, `kept_from`, or a kept span):
 * a span over ninety unchanged days is one row per branch here, not ninety.
 * The client is checked with EXISTS on runs, so SQLite probes runs by key for the few candidate runs
 * instead of planning a join around it. Runs pruned by the retention have no ledger_runs row: a
 * recipient kept unchanged for longer than the retention has only kept runs left.
 */
function newestSql(ids: number, withClient: boolean): string {
  const client = withClient ? 'AND EXISTS (SELECT 1 FROM runs r WHERE r.run_id = n.run_id AND r.client = ?)' : '';
  const branches = [
    newestBranch('sent', "s.outcome = 'sent'", SEQS.sent, ids, client),
    newestBranch('kept', "s.outcome = 'sent' AND s.kept_from IS NOT NULL", SEQS.continuedKept, ids, client),
    newestBranch('kept', "s.outcome = 'kept'", SEQS.keptSpan, ids, client),
  ];
  // The run's consent by its primary key: one probe per answered span.
  return `SELECT x.span_id, x.recipient_id, x.entity_type, x.entity_id, x.result_code, x.kind, lr.id AS reg_id, lr.run_id, lr.list_key,
      rc.opt_in_id, rc.media_type, rc.optimizely_list_id
    FROM (${branches.join(' UNION ALL ')}) x
    JOIN ledger_runs lr ON lr.id = x.newest
    LEFT JOIN runs rc ON rc.run_id = lr.run_id`;
}

/** Whether hit `a` comes after `b` in the order `sentEntities` lists hits: newest run, then newest span. */
function isNewer(a: NewestSentRow, b: NewestSentRow): boolean {
  const [ra, rb] = [Number(a.reg_id), Number(b.reg_id)];
  return ra !== rb ? ra > rb : Number(a.span_id) > Number(b.span_id);
}

/** Whether `a` answers for its list instead of `b`: a sent entry over a kept one, else the newer. */
function answersBefore(a: NewestSentRow, b: NewestSentRow): boolean {
  return a.kind !== b.kind ? a.kind === 'sent' : isNewer(a, b);
}

/**
 * `sentEntities` for many recipient ids, one statement per 500 ids: every requested id is a key of
 * the result, with an empty list when it was never sent. Per id and list key, the entity of the newest
 * run the id was sent in; when the retention pruned every run that sent it (a reconcile kept it
 * unchanged for longer), the entity of the newest run that kept it on the list, with no result code.
 * Feedback import and response ingestion ask once per page instead of once per recipient. Each
 * entity carries the consent that run recorded, so an opt-out withdraws the consent the person was
 * sent under, not the one configured today (absent for runs from before migration 14).
 */
export async function formerSentEntitiesOf(
  db: SqlDb,
  query: { recipientIds: readonly string[]; client?: string },
): Promise<Map<string, SentEntity[]>> {
  const ids = [...new Set(query.recipientIds)];
  const newest = new Map<string, Map<string, NewestSentRow>>(ids.map((id) => [id, new Map()]));
  for (let from = 0; from < ids.length; from += IDS_PER_STATEMENT) {
    const chunk = ids.slice(from, from + IDS_PER_STATEMENT);
    const branch: SqlValue[] = query.client === undefined ? chunk : [query.client, ...chunk];
    const params = [...branch, ...branch, ...branch];
    for (const row of await db.all<NewestSentRow>(newestSql(chunk.length, query.client !== undefined), params)) {
      const perList = newest.get(row.recipient_id);
      const held = perList?.get(row.list_key);
      if (perList && (!held || answersBefore(row, held))) perList.set(row.list_key, row);
    }
  }
  const result = new Map<string, SentEntity[]>();
  for (const [id, perList] of newest) {
    // Newest run first.
    const rows = [...perList.values()].sort((a, b) => (isNewer(a, b) ? -1 : isNewer(b, a) ? 1 : 0));
    result.set(
      id,
      rows.map((row) => ({
        runId: row.run_id,
        listKey: row.list_key,
        entityType: row.entity_type,
        entityId: row.entity_id,
        resultCode: row.kind === 'kept' ? null : (Number(row.result_code) as ResultCode),
        ...runConsentField(row),
      })),
    );
  }
  return result;
}
