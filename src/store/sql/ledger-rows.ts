import type { SqlValue } from '../../db/sql-db';
import type { LedgerEntry, ResultCode } from '../ledger-types';

export const LEDGER_COLUMNS = [
  'run_id',
  'list_key',
  'recipient_id',
  'entity_type',
  'entity_id',
  'outcome',
  'result_code',
  'row_no',
  'reason',
  'field',
] as const;
export const LEDGER_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'smallint', 'bigint', 'text', 'text'] as const;

/** A rejected entry keeps its (redacted) fault text in the reason column, cut to this length. */
const MAX_FAULT_LENGTH = 600;

export interface LedgerRow {
  id: number | string;
  run_id: string;
  list_key: string;
  recipient_id: string;
  entity_type: string;
  entity_id: string;
  outcome: 'sent' | 'excluded' | 'sanitized' | 'rejected' | 'kept' | 'removed';
  result_code: number | null;
  row_no: number | string | null;
  reason: string | null;
  field: string | null;
}

/**
 * Checked by hand rather than with zod: a million entries per run make per-entry schema parsing the
 * dominant cost. The message names the entry's position, never its recipient id (an e-mail address).
 */
export function ledgerValues(entry: LedgerEntry, index: number): SqlValue[] {
  if (!entry.runId || !entry.listKey) throw ledgerProblem(index, 'runId and listKey are required');
  const base = [entry.runId, entry.listKey, entry.recipientId ?? '', entry.entityType ?? '', entry.entityId ?? ''];
  if (entry.outcome === 'sent') {
    if (!Number.isInteger(entry.resultCode) || entry.resultCode < 0 || entry.resultCode > 7)
      throw ledgerProblem(index, 'resultCode must be 0..7');
    if (!entry.recipientId) throw ledgerProblem(index, 'a sent entry needs a recipientId');
    return [...base, 'sent', entry.resultCode, null, null, null];
  }
  if (entry.outcome === 'excluded') {
    // Negative: the negated snapshot position of a recipient the refill left out (no selection row).
    if (!Number.isInteger(entry.rowNumber) || entry.rowNumber === 0) throw ledgerProblem(index, 'rowNumber must be a non-zero integer');
    if (!entry.reason) throw ledgerProblem(index, 'an excluded entry needs a reason');
    return [...base, 'excluded', null, entry.rowNumber, entry.reason, entry.field ?? null];
  }
  if (entry.outcome === 'sanitized') {
    if (!Number.isInteger(entry.rowNumber) || entry.rowNumber < 1) throw ledgerProblem(index, 'rowNumber must be a positive integer');
    if (!entry.reason || !entry.field) throw ledgerProblem(index, 'a sanitized entry needs a reason and a field');
    return [...base, 'sanitized', null, entry.rowNumber, entry.reason, entry.field];
  }
  if (entry.outcome === 'rejected') {
    if (!entry.recipientId) throw ledgerProblem(index, 'a rejected entry needs a recipientId');
    if (!entry.fault) throw ledgerProblem(index, 'a rejected entry needs the fault');
    return [...base, 'rejected', null, null, entry.fault.slice(0, MAX_FAULT_LENGTH), null];
  }
  if (entry.outcome === 'kept' || entry.outcome === 'removed') {
    if (!entry.recipientId) throw ledgerProblem(index, `a ${entry.outcome} entry needs a recipientId`);
    if (!(REASONS[entry.outcome] as readonly string[]).includes(entry.reason))
      throw ledgerProblem(index, `a ${entry.outcome} entry's reason must be one of ${REASONS[entry.outcome].join(', ')}`);
    return [...base, entry.outcome, null, null, entry.reason, null];
  }
  throw ledgerProblem(index, "outcome must be 'sent', 'excluded', 'sanitized', 'rejected', 'kept' or 'removed'");
}

/** Outside ledgerValues: a closure declared per entry is renamed per call under tsx (`__name`). */
function ledgerProblem(index: number, what: string): TypeError {
  return new TypeError(`Ledger entry ${index}: ${what}`);
}

const REASONS = { kept: ['unchanged', 'updated'], removed: ['removed', 'not_on_list'] } as const;

export function toLedgerEntry(row: LedgerRow): LedgerEntry {
  const base = {
    runId: row.run_id,
    listKey: row.list_key,
    recipientId: row.recipient_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
  };
  if (row.outcome === 'rejected') return { ...base, outcome: 'rejected', fault: row.reason ?? '' };
  if (row.outcome === 'kept') return { ...base, outcome: 'kept', reason: row.reason === 'updated' ? 'updated' : 'unchanged' };
  if (row.outcome === 'removed') return { ...base, outcome: 'removed', reason: row.reason === 'not_on_list' ? 'not_on_list' : 'removed' };
  if (row.outcome === 'sent') return { ...base, outcome: 'sent', resultCode: Number(row.result_code) as ResultCode };
  if (row.outcome === 'sanitized')
    return { ...base, outcome: 'sanitized', rowNumber: Number(row.row_no), reason: row.reason ?? '', field: row.field ?? '' };
  return { ...base, outcome: 'excluded', rowNumber: Number(row.row_no), reason: row.reason ?? '', field: row.field };
}
