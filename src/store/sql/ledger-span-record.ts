import type { SqlDb, SqlStatement, SqlValue } from '../../db/sql-db';
import { previousSeq, registerRunSlot, type RunSlot } from './ledger-run-slots';
import {
  entryKey,
  entryValue,
  keptFrom,
  sameValue,
  SELECT_SPAN,
  SPAN_COLUMNS,
  SPAN_TYPES,
  spanInsertValues,
  spanValue,
  spanValueAt,
  type EntryValue,
  type SpanRow,
} from './ledger-span-rows';

/** Keys per look-up or update statement, far below both engines' parameter limits. */
const KEYS_PER_QUERY = 500;

export interface SpanRecordOptions {
  /**
   * Whether a `kept` `unchanged` entry may continue the recipient's `sent` span of the previous run
   * (one narrow update, `kept_from`) instead of starting a `kept` span (an insert into five indexes).
   * False writes the layout before migration 13; both read the same.
   */
  keptContinuesSent: boolean;
}

/** What recording an entry does to the spans. */
type Plan = { kind: 'skip' } | { kind: 'extend'; id: number } | { kind: 'continue'; id: number } | { kind: 'start' };

/**
 * Records one run's entries for one list as differences from the list's previous run: an entry equal
 * to one of the previous run extends that span (one narrow update), a `kept` `unchanged` entry after
 * the recipient's `sent` entry of the previous run continues that span from this run on (as narrow),
 * anything new or changed starts a span, an entry already recorded for this run is skipped. Returns
 * how many entries were new.
 */
export async function recordRunEntries(
  db: SqlDb,
  runId: string,
  listKey: string,
  rows: readonly SqlValue[][],
  options: SpanRecordOptions,
  retried = false,
): Promise<number> {
  const slot = await registerRunSlot(db, runId, listKey);
  const prev = await previousSeq(db, slot);
  const entries = new Map<string, EntryValue>();
  for (const row of rows) {
    const value = entryValue(row);
    const key = entryKey(value);
    if (!entries.has(key)) entries.set(key, value);
  }
  const spans = await candidateSpans(db, slot, prev, [...entries.values()]);
  const claimed = new Set<number>();
  const extend: number[] = [];
  const continued: number[] = [];
  const start: EntryValue[] = [];
  for (const [key, value] of entries) {
    const plan = planEntry(spans.get(key) ?? [], key, value, slot.seq, prev, claimed, options);
    if (plan.kind === 'extend') extend.push(plan.id);
    if (plan.kind === 'continue') continued.push(plan.id);
    if (plan.kind === 'start') start.push(value);
  }
  const updates = [
    // `last_seq = prev` again: a concurrent attempt that extended the span first leaves nothing to do.
    ...updateStatements(extend, (ids) => ['UPDATE ledger_spans SET last_seq = ? WHERE last_seq = ?', [slot.seq, prev], ids]),
    ...updateStatements(continued, (ids) => [
      "UPDATE ledger_spans SET last_seq = ?, kept_from = ? WHERE last_seq = ? AND outcome = 'sent' AND kept_from IS NULL",
      [slot.seq, slot.seq, prev],
      ids,
    ]),
  ];
  let updated = 0;
  if (updates.length > 0) for (const changed of await db.atomic(updates)) updated += changed;
  let recorded = updated;
  const [rejected, others] = [start.filter((v) => v.outcome === 'rejected'), start.filter((v) => v.outcome !== 'rejected')];
  recorded += await db.insertRows({
    table: 'ledger_spans',
    columns: SPAN_COLUMNS,
    types: SPAN_TYPES,
    rows: others.map((value) => spanInsertValues(slot.listId, value, slot.seq)),
  });
  // Rare (a few per refill) and without a unique index of their own: checked one by one.
  for (const value of rejected)
    recorded += await db.run(INSERT_REJECTED, [
      ...spanInsertValues(slot.listId, value, slot.seq),
      slot.listId,
      value.recipientId,
      slot.seq,
      slot.seq,
    ]);
  // A span another attempt changed in between (extended as sent, or continued as kept) may hold
  // another entry than the one planned on it: once more, and everything recorded by now is skipped.
  if (!retried && updated < extend.length + continued.length) recorded += await recordRunEntries(db, runId, listKey, rows, options, true);
  return recorded;
}
/**
 * Skip when a span already holds the entry for this run; extend the span that holds the same entry
 * for the previous run; continue the recipient's sent span of the previous run (same entity) for a
 * kept `unchanged` entry; otherwise start a span. A span is planned on at most once per call.
 */
function planEntry(
  mine: readonly SpanRow[],
  key: string,
  value: EntryValue,
  seq: number,
  prev: number | null,
  claimed: Set<number>,
  options: SpanRecordOptions,
): Plan {
  // Loops, not callbacks: this runs per entry, and under tsx every arrow function declared inside a
  // call is named again on each call (`__name`), a cost that grew with the list.
  for (const span of mine) if (covers(span, seq) && entryKey(spanValueAt(span, seq)) === key) return { kind: 'skip' };
  if (prev === null) return { kind: 'start' };
  const free: SpanRow[] = [];
  for (const span of mine) if (Number(span.last_seq) === prev && !claimed.has(Number(span.id))) free.push(span);
  for (const span of free)
    if (sameValue(spanValueAt(span, prev), value)) {
      claimed.add(Number(span.id));
      return { kind: 'extend', id: Number(span.id) };
    }
  if (!options.keptContinuesSent || value.outcome !== 'kept' || value.reason !== 'unchanged') return { kind: 'start' };
  for (const span of free)
    if (continuesAsKept(span, value)) {
      claimed.add(Number(span.id));
      return { kind: 'continue', id: Number(span.id) };
    }
  return { kind: 'start' };
}

/** Whether the span's runs include `at`. */
function covers(span: SpanRow, at: number): boolean {
  return Number(span.first_seq) <= at && Number(span.last_seq) >= at;
}

/** A sent span of the entry's recipient and entity without a kept part: a kept `unchanged` entry may continue it. */
function continuesAsKept(span: SpanRow, value: EntryValue): boolean {
  return (
    span.outcome === 'sent' &&
    keptFrom(span) === null &&
    span.recipient_id === value.recipientId &&
    span.entity_type === value.entityType &&
    span.entity_id === value.entityId
  );
}

/** Updates of spans by id, in id order (the table's pages visited once each) and 500 ids a statement. */
function updateStatements(ids: number[], statement: (ids: number[]) => [string, SqlValue[], number[]]): SqlStatement[] {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: SqlStatement[] = [];
  for (let i = 0; i < sorted.length; i += KEYS_PER_QUERY) {
    const [sql, params, part] = statement(sorted.slice(i, i + KEYS_PER_QUERY));
    out.push({ sql: `${sql} AND id IN (${part.map(() => '?').join(', ')})`, params: [...params, ...part] });
  }
  return out;
}

const INSERT_REJECTED = `INSERT INTO ledger_spans (${SPAN_COLUMNS.join(', ')})
  SELECT ${SPAN_TYPES.map((type) => (type === 'text' ? 'CAST(? AS TEXT)' : 'CAST(? AS INTEGER)')).join(', ')}
  WHERE NOT EXISTS (SELECT 1 FROM ledger_spans WHERE list_id = ? AND outcome <> 'sent' AND outcome = 'rejected'
    AND recipient_id = ? AND first_seq <= ? AND last_seq >= ?)`;

/**
 * The list's spans that may hold these entries in this run or the previous one (ending at `prev` or
 * later), grouped by entry key; a sent span also under its recipient's kept key (it may hold, or be
 * continued by, a kept entry). One query per outcome and 500 keys, each on its unique index.
 */
async function candidateSpans(db: SqlDb, slot: RunSlot, prev: number | null, values: EntryValue[]): Promise<Map<string, SpanRow[]>> {
  const lookups: Array<[string, string, Array<EntryValue['outcome']>, (v: EntryValue) => SqlValue]> = [
    // Written as the partial indexes' own conditions, so SQLite sees that they apply.
    ["s.outcome = 'sent'", 'recipient_id', ['sent', 'kept'], (v) => v.recipientId],
    ["s.outcome <> 'sent' AND s.outcome = 'rejected'", 'recipient_id', ['rejected'], (v) => v.recipientId],
    ["s.outcome = 'excluded'", 'row_no', ['excluded'], (v) => v.rowNo],
    ["s.outcome = 'sanitized'", 'row_no', ['sanitized'], (v) => v.rowNo],
    ["s.outcome = 'kept'", 'recipient_id', ['kept'], (v) => v.recipientId],
    ["s.outcome = 'removed'", 'recipient_id', ['removed'], (v) => v.recipientId],
  ];
  const byKey = new Map<string, SpanRow[]>();
  const add = (key: string, row: SpanRow) => {
    const group = byKey.get(key);
    if (group) group.push(row);
    else byKey.set(key, [row]);
  };
  for (const [condition, column, outcomes, keyOf] of lookups) {
    // Sorted: each query then probes one stretch of its index instead of pages all over it.
    const keys = [...new Set(values.filter((v) => outcomes.includes(v.outcome)).map(keyOf))].sort(compareKeys);
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const part = keys.slice(i, i + KEYS_PER_QUERY);
      const rows = await db.all<SpanRow>(
        `SELECT ${SELECT_SPAN} FROM ledger_spans s WHERE ${condition} AND s.list_id = ?
         AND s.${column} IN (${part.map(() => '?').join(', ')}) AND s.last_seq >= ?`,
        [slot.listId, ...part, prev ?? slot.seq],
      );
      for (const row of rows) {
        add(entryKey(spanValue(row)), row);
        if (row.outcome === 'sent') add(entryKey({ ...spanValue(row), outcome: 'kept' }), row);
      }
    }
  }
  return byKey;
}

function compareKeys(a: SqlValue, b: SqlValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
