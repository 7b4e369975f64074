import type { ExcludedLedgerEntry, SnapshotRow } from '../../src/store/types';
import type { Recipient } from '../../src/validation/recipient';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';

// The reference model for src/sync/refill-exclusion-entries.ts: the three builders of a refill
// exclusion entry as they were before they became one (imports only adjusted), so
// test/unit/sync/refill-exclusion-entries.test.ts can check the merged builder gives what each gave.

/** Was src/sync/fresh-export-filter.ts `notInFreshExportEntries`. */
export function formerNotInFreshExportEntries(
  rows: readonly SnapshotRow[],
  positions: readonly number[],
  ref: { runId: string; listKey: string; batchNo: number },
): ExcludedLedgerEntry[] {
  return positions.map((position) => {
    const r = rows[position] as unknown as Recipient;
    return {
      runId: ref.runId,
      listKey: ref.listKey,
      outcome: 'excluded',
      rowNumber: -(ref.batchNo * REFILL_BATCH_SIZE + position + 1),
      reason: 'not_in_fresh_export',
      field: 're-export',
      recipientId: String(r.recipientId ?? ''),
      entityType: String(r.entityType ?? ''),
      entityId: String(r.entityId ?? ''),
    };
  });
}

/** Was src/sync/unsubscribe-check.ts `optimizelyUnsubscribeEntries` (its one caller passed REFILL_BATCH_SIZE). */
export function formerOptimizelyUnsubscribeEntries(
  rows: readonly SnapshotRow[],
  positions: readonly number[],
  ref: { runId: string; listKey: string; batchNo: number; batchSize: number },
): ExcludedLedgerEntry[] {
  return positions.map((position) => {
    const r = rows[position] as unknown as Recipient;
    return {
      runId: ref.runId,
      listKey: ref.listKey,
      outcome: 'excluded',
      rowNumber: -(ref.batchNo * ref.batchSize + position + 1),
      reason: 'unsubscribed',
      field: 'optimizely',
      recipientId: r.recipientId,
      entityType: r.entityType,
      entityId: r.entityId,
    };
  });
}

/** Was the entry src/sync/ledger-opt-outs.ts `ledgerOptOutsOf` built per hit (`bounced` when the key has a bounce). */
export function formerLedgerOptOutEntry(
  row: SnapshotRow,
  position: number,
  ref: { runId: string; listKey: string; batchNo: number },
  bounced: boolean,
): ExcludedLedgerEntry {
  const r = row as unknown as Recipient;
  return {
    runId: ref.runId,
    listKey: ref.listKey,
    outcome: 'excluded',
    rowNumber: -(ref.batchNo * REFILL_BATCH_SIZE + position + 1),
    reason: bounced ? 'bounced' : 'unsubscribed',
    field: 'suppression_ledger',
    recipientId: String(r.recipientId ?? ''),
    entityType: String(r.entityType ?? ''),
    entityId: String(r.entityId ?? ''),
  };
}
