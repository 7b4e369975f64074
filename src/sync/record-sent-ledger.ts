import type { StateStore } from '../store/state-store';
import { SnapshotChecksumError } from '../errors/snapshot-checksum-error';
import { sentEntries } from './recipient-batch';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';

/**
 * Sent batches turned into ledger entries per transaction. Larger writes touch each index page once,
 * but block the event loop longer: 5 (about 0.1-0.2 s on SQLite) lets a refill that starts meanwhile
 * wait little.
 */
export const BATCHES_PER_LEDGER_WRITE = 5;

export interface RecordSentLedgerInput {
  store: StateStore;
  runId: string;
  listKey: string;
  /** From the last heartbeat of a previous attempt: batches before it are recorded already. */
  fromBatch?: number;
  checkpoint: (nextBatch: number) => void;
  /** Awaited before each group is read and written, with the batch it starts at, e.g. to give way to refills. */
  beforeWrite?: (nextBatch: number) => Promise<void>;
}

export interface RecordSentLedgerResult {
  batches: number;
  entries: number;
  /** Entries not in the ledger before (a resumed attempt finds some recorded). */
  newEntries: number;
}

/**
 * Turns the sent batches a refill recorded (result codes only) into one sent ledger entry per
 * recipient, reading the recipients back from the batch's snapshot. Idempotent: entries recorded
 * before are skipped, so a retried attempt may start anywhere at or before its checkpoint.
 */
export async function recordSentLedger(input: RecordSentLedgerInput): Promise<RecordSentLedgerResult> {
  const result: RecordSentLedgerResult = { batches: 0, entries: 0, newEntries: 0 };
  const { ledger, snapshots } = input.store;
  for (let next = input.fromBatch ?? 0; ;) {
    // Before the reads too: they are CPU the refill of another list would otherwise share.
    await input.beforeWrite?.(next);
    const batches = await ledger.batches(input.runId, input.listKey, { fromBatch: next, limit: BATCHES_PER_LEDGER_WRITE });
    if (batches.length === 0) return result;
    const entries = [];
    for (const batch of batches) {
      const rows = await snapshots.readBatch(batch.snapshotRef, batch.batchNo * REFILL_BATCH_SIZE, batch.resultCodes.length);
      if (rows.length !== batch.resultCodes.length)
        throw batchMismatch(batch.snapshotRef, batch.batchNo, batch.resultCodes.length, rows.length);
      entries.push(
        ...sentEntries(rows, batch.resultCodes, input, [...(batch.rejectedPositions ?? []), ...(batch.unsubscribedPositions ?? [])]),
      );
    }
    result.newEntries += await ledger.record(entries);
    result.entries += entries.length;
    result.batches += batches.length;
    next = batches[batches.length - 1]!.batchNo + 1;
    input.checkpoint(next);
  }
}

/** The snapshot no longer holds the rows a batch was sent from: permanent, the ledger would lie. */
function batchMismatch(snapshotRef: string, batchNo: number, codes: number, rows: number): SnapshotChecksumError {
  const error = new SnapshotChecksumError(
    snapshotRef,
    { count: codes, checksum: `batch ${batchNo}` },
    { count: rows, checksum: `batch ${batchNo}` },
  );
  error.message = `Snapshot ${snapshotRef} holds ${rows} rows for sent batch ${batchNo}, which has ${codes} result codes`;
  return error;
}
