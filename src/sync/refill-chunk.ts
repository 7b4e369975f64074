import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import type { ResultCode } from '../store/types';
import { sendIsolatingRefusals } from './isolate-refusals';
import { addAll3Input, rejectedEntries, sentEntries } from './recipient-batch';

export const BATCH_SIZE = 1000;

/** What a refill chunk has acknowledged: every batch before `nextBatch`, with their counts. */
export interface RefillCheckpoint {
  nextBatch: number;
  sent: number;
  resultCodes: Record<string, number>;
  /** Recipients refused on their own (ledgered rejected); absent in checkpoints from before isolation. */
  rejected?: number;
}

export interface RefillChunkInput {
  optimizely: OptimizelyPort;
  store: StateStore;
  runId: string;
  listKey: string;
  list: { listId: number; optinProcessId: number };
  attributeNames: readonly string[];
  snapshotRef: string;
  firstBatch: number;
  endBatch: number;
  /** Batches in flight at once; the client's concurrency. */
  concurrency: number;
  /**
   * Record each batch's codes as one sent-batch row and leave the per-recipient ledger entries to
   * `recordSentLedger` after the verify: a thousand indexed inserts per batch would otherwise share
   * the worker's CPU with the refill while the list is incomplete. Unset: ledger entries per batch
   * (what list syncs started before this option expect).
   */
  deferLedger?: boolean;
  /** From the last heartbeat of a previous attempt: batches before it are not sent again. */
  resumeFrom?: RefillCheckpoint;
  checkpoint: (checkpoint: RefillCheckpoint) => void;
}

/**
 * Sends batches [firstBatch, endBatch) of a snapshot with `addAll3`, several in flight, records every
 * result code in the ledger, and reports the contiguous acknowledged prefix as a checkpoint. A batch
 * re-sent after a crash answers 5 (already in list) for what got in before, which is harmless.
 */
export async function refillChunk(input: RefillChunkInput): Promise<RefillCheckpoint> {
  const resume = input.resumeFrom && input.resumeFrom.nextBatch > input.firstBatch ? input.resumeFrom : undefined;
  const acked: RefillCheckpoint = resume ? structuredClone(resume) : { nextBatch: input.firstBatch, sent: 0, resultCodes: {} };
  const finished = new Map<number, BatchOutcome>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (let batch = acked.nextBatch; batch < input.endBatch && failure === undefined; batch += 1) {
    const task = sendBatch(input, batch)
      .then((result) => {
        finished.set(batch, result);
        advance(acked, finished);
        input.checkpoint(structuredClone(acked));
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= input.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return acked;
}

interface BatchOutcome {
  sent: number;
  codes: number[];
  rejected: number;
}

/**
 * One batch through addAll3, narrowed down when Optimizely or the request writer refuses it for one
 * of its recipients (sendIsolatingRefusals): the refused are ledgered rejected with their fault at
 * once (a few rows), the others' codes recorded as usual.
 */
async function sendBatch(input: RefillChunkInput, batch: number): Promise<BatchOutcome> {
  const rows = await input.store.snapshots.readBatch(input.snapshotRef, batch * BATCH_SIZE, BATCH_SIZE);
  if (rows.length === 0) return { sent: 0, codes: [], rejected: 0 };
  const isolated = await sendIsolatingRefusals(rows.length, (start, end) =>
    input.optimizely.recipient.addAll3(addAll3Input(rows.slice(start, end), input.list, input.attributeNames)),
  );
  const rejectedPositions = isolated.refused.map((r) => r.index);
  if (isolated.refused.length > 0) await input.store.ledger.record(rejectedEntries(rows, isolated.refused, input));
  const resultCodes = isolated.codes.map((code) => code ?? 7);
  if (input.deferLedger) {
    await input.store.ledger.recordBatch({ runId: input.runId, listKey: input.listKey, snapshotRef: input.snapshotRef, batchNo: batch, resultCodes, rejectedPositions });
  } else {
    await input.store.ledger.record(sentEntries(rows, resultCodes, input, rejectedPositions));
  }
  const codes = isolated.codes.filter((code): code is ResultCode => code !== undefined);
  return { sent: rows.length - isolated.refused.length, codes, rejected: isolated.refused.length };
}

function advance(acked: RefillCheckpoint, finished: Map<number, BatchOutcome>): void {
  for (let next = finished.get(acked.nextBatch); next; next = finished.get(acked.nextBatch)) {
    finished.delete(acked.nextBatch);
    acked.sent += next.sent;
    if (next.rejected > 0) acked.rejected = (acked.rejected ?? 0) + next.rejected;
    for (const code of next.codes) acked.resultCodes[code] = (acked.resultCodes[code] ?? 0) + 1;
    acked.nextBatch += 1;
  }
}
