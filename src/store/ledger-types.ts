import type { RunConsent } from './run-types';

/** `addAll3`'s answer per recipient: 0 added, 1 invalid, 2 unsubscribed, 3 blocklisted, 4 bounced out, 5 already in list, 6 filtered, 7 error. */
export type ResultCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

interface LedgerEntryBase {
  runId: string;
  listKey: string;
  recipientId: string;
  entityType: string;
  entityId: string;
}

/** A recipient sent with `addAll3`; unique per run, list and recipient id. */
export interface SentLedgerEntry extends LedgerEntryBase {
  outcome: 'sent';
  resultCode: ResultCode;
}

/**
 * A selection row kept out of the snapshot. Keyed by its 1-based position in the selection, not by
 * recipient id: duplicates share a recipient id, and invalid rows may have none.
 */
export interface ExcludedLedgerEntry extends LedgerEntryBase {
  outcome: 'excluded';
  rowNumber: number;
  reason: string;
  /** The field that failed, or null when the reason concerns the whole row (e.g. a duplicate). */
  field: string | null;
}

/**
 * An attribute value of an accepted row that the export changed so the refill can send it (policy
 * `strip`): one entry per row and field, keyed by its selection row like an exclusion. The recipient
 * is in the snapshot and gets its own sent entry.
 */
export interface SanitizedLedgerEntry extends LedgerEntryBase {
  outcome: 'sanitized';
  rowNumber: number;
  /** What was wrong with the value: `invalid_characters` or `value_too_long`. */
  reason: string;
  /** The CRM column of the value. */
  field: string;
}

/**
 * A snapshot recipient Optimizely (or the request writer) refused on its own inside an otherwise
 * accepted refill batch; unique per run, list and recipient id. `fault` is the redacted fault text.
 */
export interface RejectedLedgerEntry extends LedgerEntryBase {
  outcome: 'rejected';
  fault: string;
}

/**
 * Strategy reconcile: a recipient the live list held and the export still selects, left on the list
 * (`unchanged`) or with its attributes updated in place (`updated`); unique per run, list and recipient id.
 */
export interface KeptLedgerEntry extends LedgerEntryBase {
  outcome: 'kept';
  reason: 'unchanged' | 'updated';
}

/**
 * Strategy reconcile: a recipient the live list held that the export no longer selects, taken off with
 * `removeAll` (`removed`; `not_on_list` when Optimizely answered that the list no longer held it, e.g.
 * after a resumed removal). The entity is the one the live list carried.
 */
export interface RemovedLedgerEntry extends LedgerEntryBase {
  outcome: 'removed';
  reason: 'removed' | 'not_on_list';
}

export type LedgerEntry =
  SentLedgerEntry | ExcludedLedgerEntry | SanitizedLedgerEntry | RejectedLedgerEntry | KeptLedgerEntry | RemovedLedgerEntry;

/**
 * The result codes of one acknowledged `addAll3` batch, in snapshot order: what the refill records
 * while the list is incomplete (one row, not a thousand), turned into sent ledger entries after the verify.
 */
export interface SentBatch {
  runId: string;
  listKey: string;
  snapshotRef: string;
  /** 0-based; the batch holds snapshot rows from batchNo × `REFILL_BATCH_SIZE` (workflows/refill-batch.ts), one per code. */
  batchNo: number;
  resultCodes: ResultCode[];
  /**
   * Positions refused on their own (ledgered `rejected` when the refill found them); their entry in
   * `resultCodes` is a placeholder. Stored as `r` in the codes string.
   */
  rejectedPositions?: number[];
  /**
   * Positions left out because Optimizely's unsubscribe list holds them (ledgered excluded when the
   * refill found them); their entry in `resultCodes` is a placeholder. Stored as `u` in the codes string.
   */
  unsubscribedPositions?: number[];
}

export interface LedgerCounts {
  sent: number;
  excluded: number;
  /** Rejected entries: recipients refused on their own during the refill. */
  rejected: number;
  /** Sent entries per result code, e.g. `{ "0": 950, "5": 40 }`. */
  byResultCode: Record<string, number>;
  /** Excluded entries per reason code. */
  byReason: Record<string, number>;
  /** Sanitized attribute values (present only when there are any). */
  sanitized?: number;
  /** Strategy reconcile: recipients left on the list, per reason (present only when there are any). */
  kept?: Record<string, number>;
  /** Strategy reconcile: recipients taken off the list, per reason (present only when there are any). */
  removed?: Record<string, number>;
  /** Sanitized attribute values per CRM column (present only when there are any). */
  bySanitizedField?: Record<string, number>;
}

/** A ledger entry found for `why`, with the run it belongs to (null fields when the run is unrecorded). */
export type LedgerHit = LedgerEntry & { client: string | null; runStartedAt: string | null };

export type LedgerLookup =
  | { recipientId: string; client?: string; listKey?: string; limit?: number }
  | { entityType: string; entityId: string; client?: string; listKey?: string; limit?: number };

/**
 * The CRM entity a recipient id was last sent as, per list; when the retention pruned every run that
 * sent it, the entity a later run kept it on the list as (`resultCode` null, `runId` that run).
 * `consent`: the advertising consent that run sent (or kept) it under, as the run recorded it
 * (migration 14); absent for a run recorded before, whose consent is unknown.
 */
export interface SentEntity {
  runId: string;
  listKey: string;
  entityType: string;
  entityId: string;
  resultCode: ResultCode | null;
  consent?: RunConsent;
  /** The Optimizely list id that run sent to (migration 15); absent for a run recorded before. */
  listId?: number;
}
