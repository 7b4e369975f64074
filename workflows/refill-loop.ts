import type { proxyActivities } from '@temporalio/workflow';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { Counts } from '../activities/refs';
import { addCounts, refillChunks } from './list-sync-state';
import { REFILL_BATCH_SIZE } from './refill-batch';

/** What a refill has acknowledged so far; the list sync's progress is one. */
export interface RefillTally {
  batchesDone: number;
  batchesTotal: number;
  sent: number;
  rejected: number;
  /** Left out at the refill: Optimizely's unsubscribe list holds them (opt-in lists; ledgered excluded). */
  unsubscribedAtRefill?: number;
  /** Left out at the refill after a long pause: the re-export no longer held them (a consent withdrawn in the CRM, or out of the selection). */
  notInFreshExport?: number;
  resultCodes: Counts;
}

export interface RefillSnapshotArgs {
  /** The after-clear tier. */
  activities: ReturnType<typeof proxyActivities<SyncActivities>>;
  /** The run whose ledger the batches go to. */
  ref: { client: string; listKey: string; runId: string };
  snapshot: { snapshotRef: string; count: number };
  batchesPerActivity: number;
  deferLedger: boolean;
  tally: RefillTally;
  /**
   * Awaited before each chunk: the list sync's pause point. It may answer a re-export taken after a
   * long pause: the chunk then sends only the rows whose recipient that re-export still holds.
   */
  beforeChunk?: () => Promise<string | undefined | void>;
}

/** Sends a snapshot with `refillList`, one activity per chunk of batches, adding up what each acknowledged. */
export async function refillSnapshot(args: RefillSnapshotArgs): Promise<void> {
  const { tally } = args;
  tally.batchesTotal = Math.ceil(args.snapshot.count / REFILL_BATCH_SIZE);
  for (const [firstBatch, endBatch] of refillChunks(tally.batchesTotal, args.batchesPerActivity)) {
    const freshRef = await args.beforeChunk?.();
    const chunk = await args.activities.refillList({
      ...args.ref,
      snapshotRef: args.snapshot.snapshotRef,
      count: args.snapshot.count,
      firstBatch,
      endBatch,
      ...(args.deferLedger ? { deferLedger: args.deferLedger } : {}),
      ...(freshRef ? { freshRef } : {}),
    });
    tally.batchesDone += chunk.batchesDone;
    tally.sent += chunk.sent;
    tally.rejected += chunk.rejected ?? 0;
    if (chunk.unsubscribed) tally.unsubscribedAtRefill = (tally.unsubscribedAtRefill ?? 0) + chunk.unsubscribed;
    if (chunk.notInFreshExport) tally.notInFreshExport = (tally.notInFreshExport ?? 0) + chunk.notInFreshExport;
    addCounts(tally.resultCodes, chunk.resultCodes);
  }
}
