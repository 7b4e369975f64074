import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import type { SentBatch } from '../store/ledger-types';
import type { ResultCode, SnapshotRow } from '../store/types';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';
import { sendIsolatingRefusals, type IsolatedBatch } from './isolate-refusals';
import { sendRetryingFailedAdds } from './retry-failed-adds';
import { SENT_BATCH_GROUP, sentBatchGroups } from './sent-batch-groups';
import { addAll3Input, refusedValuesOf, rejectedEntries, sentEntries } from './recipient-batch';
import { codesInSnapshotOrder, excludeOptimizelyUnsubscribes } from './unsubscribe-check';
import { ledgerOptOutsOf, ledgerOptOutsSince, type LedgerOptOutWatch } from './ledger-opt-outs';
import { sendWithinRequestBound } from './request-bound';
import { inFlightLimit } from './in-flight-limit';
import { takeOffOptedOut } from './retry-opt-outs';
import { freshExportIds, notInFreshExport, NOT_IN_FRESH_EXPORT } from './fresh-export-filter';
import { refillExclusionEntries } from './refill-exclusion-entries';

/** What a refill chunk has acknowledged: every batch before `nextBatch`, with their counts. */
export interface RefillCheckpoint {
  nextBatch: number;
  sent: number;
  resultCodes: Record<string, number>;
  /** Recipients refused on their own (ledgered rejected); absent in checkpoints from before isolation. */
  rejected?: number;
  /**
   * Recipients left out as opted out: Optimizely holds them as unsubscribed (any list), or the
   * suppression ledger recorded an opt-out since the snapshot was started; absent when none.
   */
  unsubscribed?: number;
  /** Recipients left out because the re-export after a long pause (`freshRef`) no longer holds them; absent when none. */
  notInFreshExport?: number;
}

export interface RefillChunkInput {
  optimizely: OptimizelyPort;
  store: StateStore;
  /** The client key: the suppression ledger records what the unsubscribe check finds under it. */
  client: string;
  runId: string;
  listKey: string;
  list: { listId: number; optinProcessId: number };
  attributeNames: readonly string[];
  snapshotRef: string;
  /** A re-export after a long pause: rows whose recipient id it does not hold are left out (src/sync/fresh-export-filter.ts). */
  freshRef?: string;
  firstBatch: number;
  endBatch: number;
  /** Batches in flight at once; the client's concurrency. */
  concurrency: number;
  /** Largest addAll3 request in bytes; default MAX_ADDALL3_REQUEST_BYTES (a test sets a small one). */
  maxRequestBytes?: number;
  /**
   * Record each batch's codes as one sent-batch row and leave the per-recipient ledger entries to
   * `recordSentLedger` after the verify: a thousand indexed inserts per batch would otherwise share
   * the worker's CPU with the refill while the list is incomplete. Unset: ledger entries per batch
   * (what list syncs started before this option expect).
   */
  deferLedger?: boolean;
  /** Batches whose sent-batch rows go in with one write (deferred ledger); default half the concurrency, at most SENT_BATCH_GROUP. */
  sentBatchGroup?: number;
  /** From the last heartbeat of a previous attempt: batches before it are not sent again. */
  resumeFrom?: RefillCheckpoint;
  /**
   * An earlier attempt of this chunk ran (the activity's attempt > 1, or a checkpoint came back): it
   * may have added any batch from the resume point on without its acknowledgement reaching us, so
   * whoever such a batch now leaves out as opted out is taken off the list (takeOffOptedOut).
   */
  retried?: boolean;
  checkpoint: (checkpoint: RefillCheckpoint) => void;
  /**
   * The attempt's cancellation (cancelled, or its heartbeat timed out and a retry runs): no batch is
   * started after it aborts, and the calls in flight are aborted with it.
   */
  signal?: AbortSignal;
  now?: () => Date;
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
  const tasks = inFlightLimit(input.concurrency);
  // Deferred ledger: a batch's row goes in with its group's, and the batch holds its slot until then,
  // so a crash still re-sends no more than `concurrency` batches; it is acknowledged (the checkpoint
  // moves past it) only once the row is written.
  const groups = sentBatchGroups((batches) => input.store.ledger.recordBatches(batches), groupSize(input));
  // Opt-outs recorded since the export read the ledger, asked again before each batch.
  const optOuts = await ledgerOptOutsSince(input.store, {
    client: input.client,
    listId: input.list.listId,
    runId: input.runId,
    snapshotRef: input.snapshotRef,
  });
  const fresh = input.freshRef === undefined ? undefined : await freshExportIds(input.store, input.freshRef);
  const source = snapshotBatches(input, acked.nextBatch);
  for (let batch = acked.nextBatch; batch < input.endBatch && !tasks.failed && !input.signal?.aborted; batch += 1) {
    const snapshotRows = await source.next(batch).catch(tasks.fail);
    if (!snapshotRows) break;
    tasks.add(
      sendBatch(input, batch, snapshotRows, optOuts, fresh).then(async ({ outcome, row }) => {
        if (row) await groups.add(row);
        finished.set(batch, outcome);
        advance(acked, finished);
        input.checkpoint(structuredClone(acked));
      }),
    );
    await tasks.room();
  }
  // Whether the chunk ended or stopped: what was sent is recorded, so a retry re-sends no more than it must.
  groups.end();
  await source.close();
  await tasks.idle();
  input.signal?.throwIfAborted();
  tasks.throwIfFailed();
  return acked;
}

/**
 * Rows per write: by default at most half the slots wait for a group to fill while the others keep
 * sending (at concurrency 1 every row is written at once); never more than the slots, or the refill
 * would wait for its own rows.
 */
function groupSize(input: RefillChunkInput): number {
  const size = input.sentBatchGroup ?? Math.min(SENT_BATCH_GROUP, Math.floor(input.concurrency / 2));
  return Math.max(1, Math.min(size, input.concurrency));
}

/**
 * The chunk's batches read in order through one snapshot cursor (several batches per look-up) instead
 * of a look-up per batch; a batch past the snapshot's end is empty, as a read at that offset would be.
 */
function snapshotBatches(input: RefillChunkInput, firstBatch: number) {
  const range = {
    fromOffset: firstBatch * REFILL_BATCH_SIZE,
    endOffset: input.endBatch * REFILL_BATCH_SIZE,
    batchSize: REFILL_BATCH_SIZE,
  };
  const batches = input.store.snapshots.batches(input.snapshotRef, range)[Symbol.asyncIterator]();
  let ended = false;
  return {
    async next(batch: number): Promise<readonly SnapshotRow[]> {
      if (ended) return [];
      const next = await batches.next();
      if (next.done) {
        ended = true;
        return [];
      }
      if (next.value.offset !== batch * REFILL_BATCH_SIZE) throw new Error(`Snapshot batch ${batch} read out of order`);
      return next.value.rows;
    },
    close: async () => void (await batches.return?.()),
  };
}

/** A sent batch: its outcome, and with the ledger deferred its sent-batch row, not yet written. */
interface SentBatchResult {
  outcome: BatchOutcome;
  row?: SentBatch;
}

interface BatchOutcome {
  sent: number;
  codes: number[];
  rejected: number;
  /** Left out as opted out: Optimizely's unsubscribe list or the suppression ledger holds them. */
  unsubscribed: number;
  /** Left out because the re-export after a long pause no longer holds them. */
  notInFreshExport: number;
}

/**
 * One batch through addAll3. First the pre-filters, on every list: recipients Optimizely holds
 * as unsubscribed are left out (excludeOptimizelyUnsubscribes); then recipients the
 * suppression ledger recorded an opt-out for since the snapshot was started (ledgerOptOutsOf). Then the send, narrowed down when
 * Optimizely or the request writer refuses it for one of its recipients (sendIsolatingRefusals):
 * the refused are ledgered rejected with their fault at once (a few rows), the others' codes
 * recorded as usual. Positions in the sent-batch row are snapshot positions.
 */
async function sendBatch(
  input: RefillChunkInput,
  batch: number,
  snapshotRows: readonly SnapshotRow[],
  optOuts: LedgerOptOutWatch,
  fresh: ReadonlySet<string> | undefined,
): Promise<SentBatchResult> {
  if (snapshotRows.length === 0) return { outcome: { sent: 0, codes: [], rejected: 0, unsubscribed: 0, notInFreshExport: 0 } };
  // Read while the attempt was still current? Not a reason to send: check again right before the calls.
  input.signal?.throwIfAborted();
  const { rows, unsubscribedPositions, notInFresh } = await withoutOptOuts(input, batch, snapshotRows, optOuts, fresh);
  // The pre-filters waited on Optimizely and the store: the attempt may have been replaced meanwhile.
  input.signal?.throwIfAborted();
  // A dead attempt may have added them before they opted out: off the list before the batch goes again.
  if (input.retried) await takeOffOptedOut(input, batch, snapshotRows, unsubscribedPositions);
  const isolated: Pick<IsolatedBatch, 'codes' | 'refused'> =
    rows.length === 0
      ? { codes: [], refused: [] }
      : await sendRetryingFailedAdds(rows.length, (positions) => {
          const some = positions.map((position) => rows[position] as SnapshotRow);
          // Each call within the request bound: a batch of very long values goes in several calls.
          return sendIsolatingRefusals(some.length, (start, end) =>
            sendWithinRequestBound(
              some,
              start,
              end,
              (from, to) =>
                input.optimizely.recipient.addAll3(addAll3Input(some.slice(from, to), input.list, input.attributeNames), {
                  signal: input.signal,
                }),
              { maxBytes: input.maxRequestBytes },
            ),
          );
        });
  if (isolated.refused.length > 0) await recordRefused(input, rows, isolated.refused);
  const sentCodes = isolated.codes.map((code) => code ?? 7);
  const codes = isolated.codes.filter((code): code is ResultCode => code !== undefined);
  const outcome = {
    sent: rows.length - isolated.refused.length,
    codes,
    rejected: isolated.refused.length,
    unsubscribed: unsubscribedPositions.length - notInFresh,
    notInFreshExport: notInFresh,
  };
  if (input.deferLedger) {
    const left = new Set(unsubscribedPositions);
    const sentPositions = snapshotRows.flatMap((_, i) => (left.has(i) ? [] : [i]));
    const rejectedPositions = isolated.refused.map((r) => sentPositions[r.index] as number);
    const resultCodes = codesInSnapshotOrder(sentCodes, unsubscribedPositions, snapshotRows.length);
    const row = {
      runId: input.runId,
      listKey: input.listKey,
      snapshotRef: input.snapshotRef,
      batchNo: batch,
      resultCodes,
      rejectedPositions,
      unsubscribedPositions,
    };
    return { outcome, row };
  }
  await input.store.ledger.record(
    sentEntries(
      rows,
      sentCodes,
      input,
      isolated.refused.map((r) => r.index),
    ),
  );
  return { outcome };
}

/**
 * The batch without anyone who opted out. Never add someone Optimizely holds as unsubscribed to any
 * list (addAll3 re-activates them on a list that is an opt-in list at Optimizely, whatever our
 * configuration says), nor someone whose opt-out the ledger recorded after the export read it. Positions are the batch's, ascending; each is left out once.
 */
async function withoutOptOuts(
  input: RefillChunkInput,
  batch: number,
  snapshotRows: readonly SnapshotRow[],
  optOuts: LedgerOptOutWatch,
  fresh: ReadonlySet<string> | undefined,
): Promise<{ rows: SnapshotRow[]; unsubscribedPositions: number[]; notInFresh: number }> {
  const checked = await excludeOptimizelyUnsubscribes(input, snapshotRows, batch);
  // After Optimizely answered: the ledger's newest opt-outs, right before this batch is sent.
  await optOuts.refresh();
  const atOptimizely = new Set(checked.unsubscribedPositions);
  const rest = snapshotRows.flatMap((_, i) => (atOptimizely.has(i) ? [] : [i]));
  const ledgered = await ledgerOptOutsOf(input.store, optOuts.optOuts, snapshotRows, rest, { ...input, batchNo: batch });
  if (ledgered.positions.length > 0) await input.store.ledger.record(ledgered.entries);
  const optedOut = new Set([...atOptimizely, ...ledgered.positions]);
  // After a long pause: whoever the re-export no longer holds (its own exclusions say why, e.g. consent_withdrawn).
  const gone = notInFreshExport(snapshotRows, fresh, optedOut);
  if (gone.length > 0)
    await input.store.ledger.record(refillExclusionEntries(snapshotRows, gone, { ...input, batchNo: batch }, NOT_IN_FRESH_EXPORT));
  if (optedOut.size === atOptimizely.size && gone.length === 0) return { ...checked, notInFresh: 0 };
  const left = new Set([...optedOut, ...gone]);
  return {
    rows: snapshotRows.filter((_, i) => !left.has(i)),
    unsubscribedPositions: [...left].sort((a, b) => a - b),
    notInFresh: gone.length,
  };
}

/**
 * The refused recipients: rejected in the ledger with their fault, and their values remembered so
 * the next export leaves them out while the values stay the same (exclusion `rejected_before`).
 */
async function recordRefused(input: RefillChunkInput, rows: readonly SnapshotRow[], refused: IsolatedBatch['refused']): Promise<void> {
  await input.store.ledger.record(rejectedEntries(rows, refused, input));
  const refusedAt = (input.now ?? (() => new Date()))().toISOString();
  await input.store.refusals.remember(refusedValuesOf(rows, refused, { ...input, refusedAt }));
}

function advance(acked: RefillCheckpoint, finished: Map<number, BatchOutcome>): void {
  for (let next = finished.get(acked.nextBatch); next; next = finished.get(acked.nextBatch)) {
    finished.delete(acked.nextBatch);
    acked.sent += next.sent;
    if (next.rejected > 0) acked.rejected = (acked.rejected ?? 0) + next.rejected;
    if (next.unsubscribed > 0) acked.unsubscribed = (acked.unsubscribed ?? 0) + next.unsubscribed;
    if (next.notInFreshExport > 0) acked.notInFreshExport = (acked.notInFreshExport ?? 0) + next.notInFreshExport;
    for (const code of next.codes) acked.resultCodes[code] = (acked.resultCodes[code] ?? 0) + 1;
    acked.nextBatch += 1;
  }
}
