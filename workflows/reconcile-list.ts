import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { ApplyReconcileInput, ExportAndDiffOutput, ReconcileDiffOutput } from '../activities/reconcile-types';
import { VERIFY_MISMATCH } from './failure-types';
import { acceptedCount, refillChunks, type ListSyncPhase, type ListSyncProgress, type ReconcileTally } from './list-sync-state';
import { REFILL_BATCH_SIZE } from './refill-batch';
import { refillSnapshot } from './refill-loop';
import { PERMANENT_ERROR_TYPES } from './retry-contract';

// --- Activity tiers ---
// Strategy reconcile never clears the list: a failure at any step leaves a list that is complete and
// at least as good as yesterday's, so every step retries a bounded number of times and then fails the
// run (like the steps before a refresh's clear), instead of retrying for ever like a refill.
const reconcileOptions: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  // Every step heartbeats at least every second (activities/keepalive.ts): 30 s without one, the worker is gone.
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: [...PERMANENT_ERROR_TYPES] },
};
const reconciling = proxyActivities<SyncActivities>(reconcileOptions);

// --- Reconcile ---
type Ref = { client: string; listKey: string; runId: string };

/** Reads the live list and stores the diff against the export (claim-check refs only come back). */
export async function diffAgainstLive(ref: Ref, progress: ListSyncProgress, snapshotRef: string): Promise<ReconcileDiffOutput> {
  const diff = await reconciling.diffLiveList({ ...ref, snapshotRef });
  recordDiff(progress, diff);
  return diff;
}

/** The export, and the live list read while it runs, then diffed against it (one activity, one worker). */
export function exportAndDiff(ref: Ref): Promise<ExportAndDiffOutput> {
  return reconciling.exportAndDiffLiveList(ref);
}

/** The diff's counts in the progress (what status and the summary show). */
export function recordDiff(progress: ListSyncProgress, diff: ReconcileDiffOutput): void {
  progress.strategy = 'reconcile';
  progress.reconcile = {
    add: diff.add,
    remove: diff.remove,
    update: diff.update,
    unchanged: diff.unchanged,
    removed: 0,
    notOnList: 0,
    updated: 0,
    liveRead: diff.liveRead,
  };
}

export interface ApplyDiffArgs {
  ref: Ref;
  progress: ListSyncProgress;
  diff: ReconcileDiffOutput;
  /** The export's snapshot: what a full read-back compares the list with. */
  snapshotRef: string;
  batchesPerActivity: number;
  enterPhase: (phase: ListSyncPhase) => void;
  /** The pause point before each chunk; may answer a re-export the joiners must still be in (refill-loop.ts). */
  beforeChunk: () => Promise<string | undefined | void>;
}

/**
 * Removals first (so an id that changes only in case is removed before it is added again), then the
 * additions through the refill's own code (chunks, refusal isolation, the opt-in unsubscribe check,
 * the sent batches), then the updates, then the verify. The list is never incomplete: window 0.
 */
export async function applyDiff(args: ApplyDiffArgs): Promise<{ verifiedCount: number; windowSeconds: number }> {
  const { ref, progress, diff } = args;
  const tally = progress.reconcile as ReconcileTally;
  args.enterPhase('removing');
  const removed = await inChunks(args, diff.removeRef, diff.remove, (input) => reconciling.removeLeavers(input));
  tally.removed = removed.removed ?? 0;
  tally.notOnList = removed.notOnList ?? 0;
  args.enterPhase('adding');
  await refillSnapshot({
    activities: reconciling,
    ref,
    snapshot: { snapshotRef: diff.addRef, count: diff.add },
    batchesPerActivity: args.batchesPerActivity,
    deferLedger: true,
    tally: progress,
    beforeChunk: args.beforeChunk,
  });
  args.enterPhase('updating');
  tally.updated = (await inChunks(args, diff.updateRef, diff.update, (input) => reconciling.updateChanged(input))).updated ?? 0;
  args.enterPhase('verifying');
  // Every leaver is off the list (removed, or no longer there); every joiner answered 0 or 5 is on it.
  const expected = diff.liveRead - diff.remove + acceptedCount(progress.resultCodes);
  const verified = await reconciling.verifyReconcile({ ...ref, expected, snapshotRef: args.snapshotRef });
  if (!verified.matches) {
    const readBack = verified.fullReadBack
      ? `; read back in full: ${verified.fullReadBack.missing} missing, ${verified.fullReadBack.extra} not selected`
      : '';
    throw ApplicationFailure.nonRetryable(
      `List ${ref.listKey} holds ${verified.count} recipients after the reconcile, expected ${expected}${readBack}`,
      VERIFY_MISMATCH,
    );
  }
  args.enterPhase('recording');
  await reconciling.recordSentLedger(ref);
  return { verifiedCount: verified.count, windowSeconds: 0 };
}

async function inChunks(
  args: ApplyDiffArgs,
  snapshotRef: string,
  count: number,
  apply: (input: ApplyReconcileInput) => Promise<{ counts: Record<string, number> }>,
): Promise<Record<string, number>> {
  const total: Record<string, number> = {};
  for (const [firstBatch, endBatch] of refillChunks(Math.ceil(count / REFILL_BATCH_SIZE), args.batchesPerActivity)) {
    await args.beforeChunk();
    const done = await apply({ ...args.ref, snapshotRef, firstBatch, endBatch });
    for (const [key, n] of Object.entries(done.counts)) total[key] = (total[key] ?? 0) + n;
  }
  return total;
}
