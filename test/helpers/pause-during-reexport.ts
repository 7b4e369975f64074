import type { Client } from '@temporalio/client';
import type { StateStore } from '../../src/store';
import type { ListSyncProgress } from '../../workflows/list-sync-state';
import { listSyncWorkflowId } from '../../workflows/ids';
import { approveUpdate, listSyncWorkflow, pauseUpdate, progressQuery, resumeUpdate } from '../../workflows/list-sync';
import { withdrawInDemoCrm, type HeldRecipient } from './hold-withdrawal';
import type { SyncStack } from './sync-stack';
import { waitFor } from './wait-for';

// A pause asked while a re-export after a long pause is held (patch safe-point-after-reexport), on a
// stack whose newsletter has guard { reexportAfter: '1s', maxShrinkPercent: 0 } and a list run before
// (yesterday's): a consent withdrawn in the CRM before the run holds the first export; paused while
// held and approved, the run stops before the clear; a second withdrawal during that pause (longer
// than reexportAfter) holds the re-export; paused again while it is held and approved, the run stops
// again; resumed, it exports once more and ends. Used by the integration test and the history recorder.

const BY = 'ops@example.test';

export interface PausedDuringReexport {
  /** The pause Updates' answers, one per hold. */
  answers: string[];
  /** The progress and the list's size while the run stood after the held re-export's approval. */
  whileStopped: ListSyncProgress;
  liveWhileStopped: number;
  withdrawn: HeldRecipient[];
  result: Awaited<ReturnType<typeof listSyncWorkflow>>;
}

export async function pauseDuringHeldReexport(stack: SyncStack, client: Client): Promise<PausedDuringReexport> {
  const lastGood = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
  const withdrawn = await snapshotRecipients(stack.deps.store, lastGood?.runId, 2);
  withdrawInDemoCrm(stack.crmFile, withdrawn[0]!);
  const worker = await stack.startWorker();
  return worker.runUntil(async () => {
    const handle = await client.workflow.start(listSyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
      args: [{ client: stack.clientKey, listKey: 'newsletter', batchesPerActivity: 1 }],
    });
    const answers: string[] = [];
    const progress = () => handle.query(progressQuery);
    const pauseAndApproveWhenHeld = async () => {
      await waitFor(async () => (await progress()).phase === 'held', 60_000, 50);
      answers.push((await handle.executeUpdate(pauseUpdate, { args: [{ by: BY, reason: 'hold on' }] })).did);
      // An approve names the hold it was given on (the second follows the re-export's hold).
      const hold = (await progress()).hold ?? 1;
      await handle.executeUpdate(approveUpdate, { args: [{ by: BY, reason: 'looked at it', hold }] });
      await waitFor(async () => (await progress()).stoppedAt !== undefined, 60_000, 50);
    };
    await pauseAndApproveWhenHeld();
    withdrawInDemoCrm(stack.crmFile, withdrawn[1]!);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await handle.executeUpdate(resumeUpdate, { args: [{ by: BY, reason: 'after a long pause' }] });
    await pauseAndApproveWhenHeld();
    const whileStopped = await progress();
    const liveWhileStopped = (await stack.listRecipients('newsletter')).length;
    await handle.executeUpdate(resumeUpdate, { args: [{ by: BY, reason: 'go on' }] });
    return { answers, whileStopped, liveWhileStopped, withdrawn, result: await handle.result() };
  });
}

/** The first `n` recipients of a run's snapshot and the CRM entities they were sent as. */
async function snapshotRecipients(store: StateStore, runId: string | undefined, n: number): Promise<HeldRecipient[]> {
  const snapshotRef = runId === undefined ? undefined : (await store.runs.get(runId))?.snapshot?.snapshotRef;
  if (!snapshotRef) throw new Error('no last good snapshot of the newsletter');
  const found: HeldRecipient[] = [];
  for await (const batch of store.snapshots.batches(snapshotRef))
    for (const row of batch.rows as unknown as HeldRecipient[])
      if (found.length < n) found.push({ recipientId: row.recipientId, entityType: row.entityType, entityId: row.entityId });
  if (found.length < n) throw new Error(`snapshot ${snapshotRef} holds fewer than ${n} recipients`);
  return found;
}
