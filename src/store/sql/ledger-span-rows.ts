import type { SqlValue } from '../../db/sql-db';
import type { LedgerEntry } from '../ledger-types';
import { toLedgerEntry, type LedgerRow } from './ledger-rows';

/**
 * One ledger entry as it stood in consecutive runs of a list: the runs with `first_seq <= seq <=
 * last_seq` (ledger_runs) each have this entry. Everything but the run is the entry's value.
 */
export interface SpanRow {
  id: number | string;
  list_id: number | string;
  outcome: LedgerRow['outcome'];
  recipient_id: string;
  entity_type: string;
  entity_id: string;
  result_code: number | string | null;
  row_no: number | string | null;
  reason: string | null;
  field: string | null;
  first_seq: number | string;
  last_seq: number | string;
  /**
   * On a `sent` span only (migration 13): the first seq from which the span holds a `kept`
   * `unchanged` entry of the same recipient and entity instead (runs of strategy reconcile that left
   * the recipient on the list); null when every run of the span has the sent entry.
   */
  kept_from: number | string | null;
}

export const SPAN_VALUE_COLUMNS = [
  'outcome',
  'recipient_id',
  'entity_type',
  'entity_id',
  'result_code',
  'row_no',
  'reason',
  'field',
] as const;
export const SPAN_COLUMNS = ['list_id', ...SPAN_VALUE_COLUMNS, 'first_seq', 'last_seq'] as const;
export const SPAN_TYPES = ['bigint', 'text', 'text', 'text', 'text', 'smallint', 'bigint', 'text', 'text', 'bigint', 'bigint'] as const;
export const SELECT_SPAN = `s.id, s.list_id, s.${SPAN_VALUE_COLUMNS.join(', s.')}, s.first_seq, s.last_seq, s.kept_from`;

/** An entry's value as `ledgerValues` checked it, without its run and list. */
export interface EntryValue {
  outcome: LedgerRow['outcome'];
  recipientId: string;
  entityType: string;
  entityId: string;
  resultCode: number | null;
  rowNo: number | null;
  reason: string | null;
  field: string | null;
}

/** From `ledgerValues` order: run_id, list_key, recipient_id, entity_type, entity_id, outcome, result_code, row_no, reason, field. */
export function entryValue(values: readonly SqlValue[]): EntryValue {
  return {
    recipientId: String(values[2]),
    entityType: String(values[3]),
    entityId: String(values[4]),
    outcome: values[5] as EntryValue['outcome'],
    resultCode: numberOrNull(values[6]),
    rowNo: numberOrNull(values[7]),
    reason: (values[8] ?? null) as string | null,
    field: (values[9] ?? null) as string | null,
  };
}

/**
 * A column's number, or null. Declared once here, not inside entryValue and spanValue: they run per
 * entry and per span (millions a run), and under tsx every function declared inside a call is named
 * again on each call (its `__name` helper), which cost about 5 s of a million-recipient reconcile.
 */
function numberOrNull(value: SqlValue | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** The seq from which a sent span holds `kept` `unchanged` entries, or null. */
export function keptFrom(row: SpanRow): number | null {
  return row.kept_from === null || row.kept_from === undefined ? null : Number(row.kept_from);
}

/** The entry value a span holds for the run of `seq` (one of its runs): its kept part holds a kept entry. */
export function spanValueAt(row: SpanRow, seq: number): EntryValue {
  const from = keptFrom(row);
  const value = spanValue(row);
  if (from === null || seq < from) return value;
  return { ...value, outcome: 'kept', resultCode: null, rowNo: null, reason: 'unchanged', field: null };
}

/** The value a span was written with (for a sent span with a kept part: the sent entry of its first runs). */
export function spanValue(row: SpanRow): EntryValue {
  return {
    outcome: row.outcome,
    recipientId: row.recipient_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    resultCode: numberOrNull(row.result_code),
    rowNo: numberOrNull(row.row_no),
    reason: row.reason,
    field: row.field,
  };
}

/**
 * What makes an entry unique within one run and list: the recipient for sent, rejected, kept and
 * removed entries, the selection row for exclusions, the row and field for sanitized values.
 */
export function entryKey(value: EntryValue): string {
  if (value.outcome === 'excluded') return `excluded\u0000${value.rowNo}`;
  if (value.outcome === 'sanitized') return `sanitized\u0000${value.rowNo}\u0000${value.field}`;
  return `${value.outcome}\u0000${value.recipientId}`;
}

export function sameValue(a: EntryValue, b: EntryValue): boolean {
  return (
    a.outcome === b.outcome &&
    a.recipientId === b.recipientId &&
    a.entityType === b.entityType &&
    a.entityId === b.entityId &&
    a.resultCode === b.resultCode &&
    a.rowNo === b.rowNo &&
    a.reason === b.reason &&
    a.field === b.field
  );
}

export function spanInsertValues(listId: number, value: EntryValue, seq: number): SqlValue[] {
  return [
    listId,
    value.outcome,
    value.recipientId,
    value.entityType,
    value.entityId,
    value.resultCode,
    value.rowNo,
    value.reason,
    value.field,
    seq,
    seq,
  ];
}

/** The entry a span holds for one of its runs (`seq`). */
export function spanEntry(row: SpanRow, runId: string, listKey: string, seq: number): LedgerEntry {
  const value = spanValueAt(row, seq);
  return toLedgerEntry({
    id: row.id,
    run_id: runId,
    list_key: listKey,
    recipient_id: value.recipientId,
    entity_type: value.entityType,
    entity_id: value.entityId,
    outcome: value.outcome,
    result_code: value.resultCode,
    row_no: value.rowNo,
    reason: value.reason,
    field: value.field,
  });
}
