import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { listSyncWorkflow } from '../../workflows/list-sync';
import { pauseUpdate, progressQuery, resumeUpdate } from '../../workflows/list-sync';
import type { HeldRecipient } from './hold-withdrawal';
import { withdrawInDemoCrm } from './hold-withdrawal';
import type { SyncStack } from './sync-stack';
import { waitFor } from './wait-for';

// A list sync paused for longer than guard.reexportAfter (1 s in the tests) with a consent withdrawn
// in the CRM meanwhile (docs/daily-sync.md, "A long pause"). Optimizely is slowed down where the
// pause is to land, so the Update arrives while the step before that safe point runs:
//   before-change: Recipient.getCount (the guard's live count on a first run, a reconcile's live
//     read), so the pause takes effect at the safe point after the guard, before the clear or any change;
//   between-chunks: addAll3, so it takes effect before the next refill (or reconcile joiner) chunk,
//     after at least one chunk went in.

export type PausePoint = 'before-change' | 'between-chunks';

/** The simulator's latency that keeps the run busy where the pause is to land. */
export const SLOW_BEFORE_PAUSE: Record<PausePoint, Record<string, number>> = {
  'before-change': { 'Recipient.getCount': 2500 },
  'between-chunks': { 'Recipient.addAll3': 700 },
};

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof listSyncWorkflow>;

/**
 * Pauses the run at `point`, waits until it stands there (no activity running), withdraws in the CRM
 * the consent of a recipient of the run's export who is not on the list yet, waits longer than
 * reexportAfter, and resumes; `alsoDuringPause` changes the CRM further meanwhile. Returns the
 * withdrawn recipient.
 */
export async function pauseLongAndWithdraw(
  stack: SyncStack,
  handle: Handle,
  point: PausePoint,
  alsoDuringPause: () => void = () => undefined,
): Promise<HeldRecipient> {
  await waitFor(
    async () => {
      const progress = await handle.query(progressQuery);
      // Before the change: exporting or guard, and not yet past the safe point before the clear (the drift measured).
      if (point === 'before-change') return ['exporting', 'guard'].includes(progress.phase) && !progress.pastSafePointBeforeChange;
      return progress.batchesDone >= 1;
    },
    60_000,
    20,
  );
  await handle.executeUpdate(pauseUpdate, { args: [{ by: 'ops@example.test', reason: 'a long pause' }] });
  // Standing at the safe point: stopped (progress.stoppedAt), and nothing runs any more. No pending
  // activity alone is not enough: between the export and the guard's activity there is none either, and
  // a resume then came before the safe point (the run never stopped, nothing was re-exported).
  await waitFor(
    async () => {
      const description = await handle.describe();
      return (description.raw.pendingActivities ?? []).length === 0 && (await handle.query(progressQuery)).stoppedAt !== undefined;
    },
    60_000,
    50,
    () => whereTheRunIs(handle),
  );
  await stack.admin('/admin/faults', { latencyByOperation: {} });
  const live = new Set((await stack.listRecipients('newsletter')).map((r) => r.recipientId));
  const person = await unsentSnapshotRecipient(stack, handle.firstExecutionRunId, live);
  withdrawInDemoCrm(stack.crmFile, person);
  alsoDuringPause();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await handle.executeUpdate(resumeUpdate, { args: [{ by: 'ops@example.test', reason: 'after a long pause' }] });
  return person;
}

/** For a timeout's message: the run's status, phase, pause and pending activities. */
async function whereTheRunIs(handle: Handle): Promise<string> {
  const description = await handle.describe();
  const pending = (description.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name ?? '?'} attempt ${a.attempt ?? '?'}`);
  const progress = await handle.query(progressQuery).catch((error: Error) => ({ queryFailed: error.message }));
  return `status ${description.status.name}, progress ${JSON.stringify(progress)}, pending [${pending.join(', ')}]`;
}

/** A recipient of the run's export snapshot that the list does not hold yet (the last one: in a later batch). */
async function unsentSnapshotRecipient(stack: SyncStack, runId: string, live: ReadonlySet<string>): Promise<HeldRecipient> {
  const snapshotRef = (await stack.deps.store.runs.get(runId))?.snapshot?.snapshotRef;
  if (!snapshotRef) throw new Error(`run ${runId} has no snapshot`);
  let found: HeldRecipient | undefined;
  for await (const batch of stack.deps.store.snapshots.batches(snapshotRef))
    for (const row of batch.rows as unknown as HeldRecipient[])
      if (!live.has(row.recipientId)) found = { recipientId: row.recipientId, entityType: row.entityType, entityId: row.entityId };
  if (!found) throw new Error(`every recipient of snapshot ${snapshotRef} is on the list already`);
  return found;
}
