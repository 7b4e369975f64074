import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';
import type { StateStore } from '../store/state-store';
import type { SnapshotRow } from '../store/types';

// Batches of the claim-check snapshots are the refill's size (part of the stored format, workflows/refill-batch.ts).
const RECONCILE_BATCH_SIZE = REFILL_BATCH_SIZE;

/** What a chunk of reconcile batches has applied: every batch before `nextBatch`, with its counts. */
export interface ReconcileCheckpoint {
  nextBatch: number;
  counts: Record<string, number>;
}

export interface ApplyBatchesInput {
  store: StateStore;
  snapshotRef: string;
  firstBatch: number;
  endBatch: number;
  /** From the last heartbeat of a previous attempt: batches before it are applied and recorded. */
  resumeFrom?: ReconcileCheckpoint;
  checkpoint: (checkpoint: ReconcileCheckpoint) => void;
  signal?: AbortSignal;
}

/**
 * Applies batches [firstBatch, endBatch) of a claim-check snapshot one after the other with `apply`
 * (which calls Optimizely and records the batch in the ledger before it returns), checkpointing after
 * each. A batch re-applied after a crash must be harmless: removals and attribute updates are.
 */
export async function applyBatches(
  input: ApplyBatchesInput,
  apply: (rows: SnapshotRow[]) => Promise<Record<string, number>>,
): Promise<ReconcileCheckpoint> {
  const resume = input.resumeFrom && input.resumeFrom.nextBatch > input.firstBatch ? input.resumeFrom : undefined;
  const done: ReconcileCheckpoint = resume ? structuredClone(resume) : { nextBatch: input.firstBatch, counts: {} };
  while (done.nextBatch < input.endBatch) {
    input.signal?.throwIfAborted();
    const rows = await input.store.snapshots.readBatch(input.snapshotRef, done.nextBatch * RECONCILE_BATCH_SIZE, RECONCILE_BATCH_SIZE);
    if (rows.length > 0) {
      input.signal?.throwIfAborted();
      for (const [key, n] of Object.entries(await apply(rows))) done.counts[key] = (done.counts[key] ?? 0) + n;
    }
    done.nextBatch += 1;
    input.checkpoint(structuredClone(done));
  }
  return done;
}
