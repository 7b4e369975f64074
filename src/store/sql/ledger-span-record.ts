import type { SqlDb, SqlStatement, SqlValue } from '../../db/sql-db';
import { previousSeq, registerRunSlot, type RunSlot } from './ledger-run-slots';
import {
  entryKey,
  entryValue,
  sameValue,
  SELECT_SPAN,
  SPAN_COLUMNS,
  SPAN_TYPES,
  spanInsertValues,
  spanValue,
  type EntryValue,
  type SpanRow,
} from './ledger-span-rows';

/** Keys per look-up or update statement, far below both engines' parameter limits. */
const KEYS_PER_QUERY = 500;

/**
 * Records one run's entries for one list as differences from the list's previous run: an entry equal
 * to one of the previous run extends that span (one narrow update), anything new or changed starts a
 * span, an entry already recorded for this run is skipped. Returns how many entries were new.
 */
export async function recordRunEntries(db: SqlDb, runId: string, listKey: string, rows: readonly SqlValue[][]): Promise<number> {
  const slot = await registerRunSlot(db, runId, listKey);
  const prev = await previousSeq(db, slot);
  const entries = new Map<string, EntryValue>();
  for (const row of rows) {
    const value = entryValue(row);
    const key = entryKey(value);
    if (!entries.has(key)) entries.set(key, value);
  }
  const spans = await candidateSpans(db, slot, prev, [...entries.values()]);
  const extend: number[] = [];
  const start: EntryValue[] = [];
  for (const [key, value] of entries) {
    const mine = spans.get(key) ?? [];
    if (mine.some((span) => Number(span.first_seq) <= slot.seq && Number(span.last_seq) >= slot.seq)) continue;
    const previous = prev === null ? undefined : mine.find((span) => Number(span.last_seq) === prev && sameValue(spanValue(span), value));
    if (previous) extend.push(Number(previous.id));
    else start.push(value);
  }
  let recorded = 0;
  // In id order and in one transaction: the table's pages are visited once each, and written once.
  extend.sort((a, b) => a - b);
  const extensions: SqlStatement[] = [];
  for (let i = 0; i < extend.length; i += KEYS_PER_QUERY) {
    const ids = extend.slice(i, i + KEYS_PER_QUERY);
    // `last_seq = prev` again: a concurrent attempt that extended the span first leaves nothing to do.
    extensions.push({
      sql: `UPDATE ledger_spans SET last_seq = ? WHERE last_seq = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      params: [slot.seq, prev, ...ids],
    });
  }
  if (extensions.length > 0) for (const changed of await db.atomic(extensions)) recorded += changed;
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
  return recorded;
}

const INSERT_REJECTED = `INSERT INTO ledger_spans (${SPAN_COLUMNS.join(', ')})
  SELECT ${SPAN_TYPES.map((type) => (type === 'text' ? 'CAST(? AS TEXT)' : 'CAST(? AS INTEGER)')).join(', ')}
  WHERE NOT EXISTS (SELECT 1 FROM ledger_spans WHERE list_id = ? AND outcome <> 'sent' AND outcome = 'rejected'
    AND recipient_id = ? AND first_seq <= ? AND last_seq >= ?)`;

/**
 * The list's spans that may hold these entries in this run or the previous one (ending at `prev` or
 * later), grouped by entry key. One query per outcome and 500 keys, each on its unique index.
 */
async function candidateSpans(db: SqlDb, slot: RunSlot, prev: number | null, values: EntryValue[]): Promise<Map<string, SpanRow[]>> {
  const lookups: Array<[string, string, (v: EntryValue) => SqlValue]> = [
    // Written as the partial indexes' own conditions, so SQLite sees that they apply.
    ["s.outcome = 'sent'", 'recipient_id', (v) => v.recipientId],
    ["s.outcome <> 'sent' AND s.outcome = 'rejected'", 'recipient_id', (v) => v.recipientId],
    ["s.outcome = 'excluded'", 'row_no', (v) => v.rowNo],
    ["s.outcome = 'sanitized'", 'row_no', (v) => v.rowNo],
    ["s.outcome = 'kept'", 'recipient_id', (v) => v.recipientId],
    ["s.outcome = 'removed'", 'recipient_id', (v) => v.recipientId],
  ];
  const outcomes = ['sent', 'rejected', 'excluded', 'sanitized', 'kept', 'removed'];
  const byKey = new Map<string, SpanRow[]>();
  for (const [index, [condition, column, keyOf]] of lookups.entries()) {
    // Sorted: each query then probes one stretch of its index instead of pages all over it.
    const keys = [...new Set(values.filter((v) => v.outcome === outcomes[index]).map(keyOf))].sort(compareKeys);
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const part = keys.slice(i, i + KEYS_PER_QUERY);
      const rows = await db.all<SpanRow>(
        `SELECT ${SELECT_SPAN} FROM ledger_spans s WHERE ${condition} AND s.list_id = ?
         AND s.${column} IN (${part.map(() => '?').join(', ')}) AND s.last_seq >= ?`,
        [slot.listId, ...part, prev ?? slot.seq],
      );
      for (const row of rows) {
        const key = entryKey(spanValue(row));
        byKey.set(key, [...(byKey.get(key) ?? []), row]);
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
