import type { ExcludedLedgerEntry, SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';

/** Which run, list and refill batch a left-out snapshot row belongs to. */
export interface RefillExclusionRef {
  runId: string;
  listKey: string;
  batchNo: number;
}

/** Why the refill left a row out: the exclusion reason and the source (`field`) that decided it. */
export interface RefillExclusionWhy {
  reason: string;
  field: string;
}

/**
 * The ledger entry of a snapshot row the refill left out (an opt-out at Optimizely or in the
 * suppression ledger, a row the re-export after a long pause no longer holds). It has no selection
 * row (the snapshot does not keep it), so the row number is the negated 1-based snapshot position,
 * unique in the run and list and never a selection row. The snapshot row is read back from the
 * store, not from the export's types: a missing or non-text id is recorded as text ('' when missing,
 * as the store records it anyway), so the entry is what its type says.
 */
export function refillExclusionEntry(
  row: SnapshotRow,
  position: number,
  ref: RefillExclusionRef,
  why: RefillExclusionWhy,
): ExcludedLedgerEntry {
  const r = row as unknown as Partial<Recipient>;
  return {
    runId: ref.runId,
    listKey: ref.listKey,
    outcome: 'excluded',
    rowNumber: -(ref.batchNo * REFILL_BATCH_SIZE + position + 1),
    reason: why.reason,
    field: why.field,
    recipientId: String(r.recipientId ?? ''),
    entityType: String(r.entityType ?? ''),
    entityId: String(r.entityId ?? ''),
  };
}

/** The ledger entries of the batch positions `positions` of `rows`, all left out for the same reason. */
export function refillExclusionEntries(
  rows: readonly SnapshotRow[],
  positions: readonly number[],
  ref: RefillExclusionRef,
  why: RefillExclusionWhy,
): ExcludedLedgerEntry[] {
  return positions.map((position) => refillExclusionEntry(rows[position] as SnapshotRow, position, ref, why));
}
