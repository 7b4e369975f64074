import type { SqlDb, SqlValue } from '../../db/sql-db';
import type { ResultCode, SentEntity } from '../ledger-types';
import { paddedInList } from './padded-in-list';
import { runConsentField, type RunConsentColumns } from './run-consent-columns';

/** How many ids one span probe asks for, and how many seq ranges one newest-run statement asks for. */
export interface SentLookupSizes {
  ids: number;
  ranges: number;
}

/**
 * Well under both engines' parameter limits (a range is three parameters): a page of responses is
 * 1,000 ids, and the ranges of a page are few (one per list and run pattern, not one per id).
 */
export const SENT_LOOKUP_SIZES: SentLookupSizes = { ids: 500, ranges: 250 };

interface SpanRow {
  span_id: number | string;
  recipient_id: string;
  list_id: number | string;
  outcome: 'sent' | 'kept';
  entity_type: string;
  entity_id: string;
  result_code: number | string | null;
  first_seq: number | string;
  last_seq: number | string;
  kept_from: number | string | null;
}

interface NewestRunRow extends RunConsentColumns {
  list_id: number | string;
  lo: number | string;
  hi: number | string;
  reg_id: number | string;
  run_id: string;
  list_key: string;
}

/** A span's entry of one kind over the seqs [lo, hi] of its list. */
interface Candidate {
  span: SpanRow;
  kind: 'sent' | 'kept';
  range: string;
}

/** A candidate with the newest run of its range: what answers for one id and list. */
interface Hit {
  candidate: Candidate;
  run: NewestRunRow;
}

const rangeKey = (listId: number | string, lo: number | string, hi: number | string) => `${Number(listId)}:${Number(lo)}:${Number(hi)}`;

const SPAN_COLUMNS =
  's.id AS span_id, s.recipient_id, s.list_id, s.outcome, s.entity_type, s.entity_id, s.result_code, s.first_seq, s.last_seq, s.kept_from';

/** The sent and kept spans of the asked ids (`marks`, a padded IN list): one branch per partial index (sent, and the others'). */
function spansSql(marks: string): string {
  return `SELECT ${SPAN_COLUMNS} FROM ledger_spans s WHERE s.outcome = 'sent' AND s.recipient_id IN (${marks})
    UNION ALL SELECT ${SPAN_COLUMNS} FROM ledger_spans s WHERE s.outcome = 'kept' AND s.recipient_id IN (${marks})`;
}

/**
 * A span's entries: a sent span's sent part (before `kept_from`), its kept part (from `kept_from`),
 * or the whole of a kept span (the layout before migration 13). An empty part (`kept_from` on the
 * span's first seq) has no run and answers nothing, as before.
 */
function candidatesOf(span: SpanRow): Candidate[] {
  const [first, last] = [Number(span.first_seq), Number(span.last_seq)];
  const keptFrom = span.kept_from === null ? null : Number(span.kept_from);
  if (span.outcome === 'kept') return [{ span, kind: 'kept', range: rangeKey(span.list_id, first, last) }];
  const sent: Candidate = { span, kind: 'sent', range: rangeKey(span.list_id, first, keptFrom === null ? last : keptFrom - 1) };
  return keptFrom === null ? [sent] : [sent, { span, kind: 'kept', range: rangeKey(span.list_id, keptFrom, last) }];
}

/**
 * Per range of seqs of a list, the newest run in it (highest ledger_runs id) with its list key and
 * recorded consent. The client is checked with EXISTS on runs, so SQLite probes runs by key for the
 * few candidate runs. Runs pruned by the retention have no ledger_runs row: a recipient kept unchanged
 * for longer than the retention has only kept runs left. The casts give PostgreSQL the parameters'
 * type (a VALUES row of bare parameters is text there).
 */
function newestRunsSql(ranges: number, withClient: boolean): string {
  const client = withClient ? 'AND EXISTS (SELECT 1 FROM runs r WHERE r.run_id = n.run_id AND r.client = ?)' : '';
  const rows = Array.from({ length: ranges }, () => '(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))').join(', ');
  return `WITH q (list_id, lo, hi) AS (VALUES ${rows})
    SELECT q.list_id, q.lo, q.hi, lr.id AS reg_id, lr.run_id, lr.list_key, rc.opt_in_id, rc.media_type, rc.optimizely_list_id
    FROM q
    JOIN ledger_runs lr ON lr.id = (SELECT MAX(n.id) FROM ledger_runs n WHERE n.list_id = q.list_id AND n.seq >= q.lo AND n.seq <= q.hi ${client})
    LEFT JOIN runs rc ON rc.run_id = lr.run_id`;
}

async function spansOf(db: SqlDb, ids: readonly string[], sizes: SentLookupSizes): Promise<SpanRow[]> {
  const spans: SpanRow[] = [];
  for (let from = 0; from < ids.length; from += sizes.ids) {
    const { marks, values } = paddedInList(ids.slice(from, from + sizes.ids));
    spans.push(...(await db.all<SpanRow>(spansSql(marks), [...values, ...values])));
  }
  return spans;
}

async function newestRunsOf(db: SqlDb, ranges: readonly string[], client: string | undefined, sizes: SentLookupSizes) {
  const newest = new Map<string, NewestRunRow>();
  for (let from = 0; from < ranges.length; from += sizes.ranges) {
    const chunk = ranges.slice(from, from + sizes.ranges);
    const params: SqlValue[] = chunk.flatMap((range) => range.split(':').map(Number));
    if (client !== undefined) params.push(client);
    for (const row of await db.all<NewestRunRow>(newestRunsSql(chunk.length, client !== undefined), params))
      newest.set(rangeKey(row.list_id, row.lo, row.hi), row);
  }
  return newest;
}

/** Whether hit `a` comes after `b` in the order `sentEntities` lists hits: newest run, then newest span. */
function isNewer(a: Hit, b: Hit): boolean {
  const [ra, rb] = [Number(a.run.reg_id), Number(b.run.reg_id)];
  return ra !== rb ? ra > rb : Number(a.candidate.span.span_id) > Number(b.candidate.span.span_id);
}

/** Whether `a` answers for its list instead of `b`: a sent entry over a kept one, else the newer. */
function answersBefore(a: Hit, b: Hit): boolean {
  return a.candidate.kind !== b.candidate.kind ? a.candidate.kind === 'sent' : isNewer(a, b);
}

function entityOf({ candidate, run }: Hit): SentEntity {
  const { span, kind } = candidate;
  return {
    runId: run.run_id,
    listKey: run.list_key,
    entityType: span.entity_type,
    entityId: span.entity_id,
    resultCode: kind === 'kept' ? null : (Number(span.result_code) as ResultCode),
    ...runConsentField(run),
  };
}

/**
 * `sentEntities` for many recipient ids: every requested id is a key of the result, with an empty
 * list when it was never sent. Per id and list key, the entity of the newest run the id was sent in;
 * when the retention pruned every run that sent it (a reconcile kept it unchanged for longer), the
 * entity of the newest run that kept it on the list, with no result code. Feedback import and response
 * ingestion ask once per page instead of once per recipient. Each entity carries the consent that run
 * recorded, so an opt-out withdraws the consent the person was sent under, not the one configured
 * today (absent for runs from before migration 14).
 *
 * The spans are probed once per 500 ids; the newest run is then asked once per distinct range of
 * seqs (list, first, last), 250 ranges a statement, and joined here: the ids of a page share a few
 * ranges (everyone sent by the same runs), so a page costs a few statements instead of a newest-run
 * sub-query per span (about three quarters of the response ingestion thread's store work before).
 */
export async function sentEntitiesOf(
  db: SqlDb,
  query: { recipientIds: readonly string[]; client?: string },
  sizes: SentLookupSizes = SENT_LOOKUP_SIZES,
): Promise<Map<string, SentEntity[]>> {
  const ids = [...new Set(query.recipientIds)];
  const candidates = (await spansOf(db, ids, sizes)).flatMap(candidatesOf);
  const ranges = [...new Set(candidates.map((candidate) => candidate.range))];
  const newest = await newestRunsOf(db, ranges, query.client, sizes);
  const perId = new Map<string, Map<string, Hit>>(ids.map((id) => [id, new Map()]));
  for (const candidate of candidates) {
    const run = newest.get(candidate.range);
    const perList = perId.get(candidate.span.recipient_id);
    if (!run || !perList) continue;
    const hit = { candidate, run };
    const held = perList.get(run.list_key);
    if (!held || answersBefore(hit, held)) perList.set(run.list_key, hit);
  }
  const result = new Map<string, SentEntity[]>();
  for (const [id, perList] of perId) {
    // Newest run first.
    const hits = [...perList.values()].sort((a, b) => (isNewer(a, b) ? -1 : isNewer(b, a) ? 1 : 0));
    result.set(id, hits.map(entityOf));
  }
  return result;
}
