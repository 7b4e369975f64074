import type { Counts, RunRef } from './refs';

// JSON-plain references and counts only: every input and output lands in workflow histories.

export interface ClearListOutput {
  clearedAt: string;
  /**
   * When the first attempt that could have reached Optimizely started its clear call: the start of the
   * clear-to-ready window. Absent from results recorded before it was added (the window then starts at
   * `clearedAt`).
   */
  firstAttemptAt?: string;
}

export interface RefillListInput extends RunRef {
  snapshotRef: string;
  count: number;
  /** First batch of this chunk (inclusive) and the end (exclusive); batches hold 1000 rows. */
  firstBatch: number;
  endBatch: number;
  /** Record result codes per batch only; `recordSentLedger` writes the per-recipient entries after the verify. */
  deferLedger?: boolean;
  /**
   * A re-export of the run taken after a long pause (workflows/list-sync.ts): rows of `snapshotRef`
   * whose recipient id it does not hold are left out (their consent was withdrawn in the CRM since the
   * snapshot, or they left the selection). Absent: every row is sent, as before.
   */
  freshRef?: string;
}

export interface RefillListOutput {
  batchesDone: number;
  /** Recipients addAll3 answered for (rejected ones not included). */
  sent: number;
  resultCodes: Counts;
  /** Recipients refused on their own and ledgered rejected; the rest of their batch went in. */
  rejected?: number;
  /** Left out before addAll3 (ledgered excluded): Optimizely holds them as unsubscribed (any list), or the suppression ledger recorded an opt-out since the snapshot. */
  unsubscribed?: number;
  /** Left out before addAll3 because `freshRef` no longer holds them (not counted in `unsubscribed`). */
  notInFreshExport?: number;
}

/** How many sent ledger entries `recordSentLedger` wrote from the run's sent batches. */
export interface RecordSentLedgerOutput {
  batches: number;
  entries: number;
  newEntries: number;
}

export interface VerifyListInput extends RunRef {
  expected: number;
}

export interface VerifyListOutput {
  count: number;
  matches: boolean;
  verifiedAt: string;
}
