import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { ImportFeedbackOutput } from '../activities/feedback-types';
import type { PruneStateStoreOutput } from '../activities/retention-types';
import { dailyRunArtefactsId, listSyncWorkflowId, responseIngestWorkflowId } from './ids';
import { handleDailyOperatorMessages, type DailyListStatus, type ListQueue, type ListSignal } from './daily-sync-operator';
import {
  ALERTS_DAILY_SYNC_PATCH,
  CHILDREN_CANCELLED_NOT_TERMINATED_PATCH,
  DAILY_RUN_IN_STORE_PATCH,
  DAILY_RUN_OWN_ARTEFACTS_PATCH,
  LANES_OPEN_UNTIL_DONE_PATCH,
  PRUNE_STATE_STORE_PATCH,
  RESPONSE_INGESTION_PATCH,
} from './patches';
import { listSyncWorkflow } from './list-sync';
import { responseIngestWorkflow, type ResponseIngestResult } from './response-ingest';
import { failureReason } from './failure-reason';
import { dailyOutcome, dailyRunRecord, listStateCounts, listsStepOutcome, type DailyRunRecord } from './daily-run-record';
import { bookkeeping } from './activity-tiers';
import { notify } from './notify';
import { PERMANENT_ERROR_TYPES } from './retry-contract';
import { CLIENT_KEY, SYNC_PHASE } from './search-attributes';

// --- Activity tiers ---
const nonRetryableErrorTypes = [...PERMANENT_ERROR_TYPES];
// Bookkeeping (state store reads and writes): workflows/activity-tiers.ts.
// Retention: long deletes, heartbeated every second (activities/keepalive.ts), so 30 s without one
// means its worker is gone; a few tries, then reported in the status (the lists stand).
const housekeeping = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
// Feedback must be in the CRM before any export (it heartbeats every second: 30 s means its worker is gone); bounded so a broken import fails the run visibly.
const feedback = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '2 minutes', maximumAttempts: 10, nonRetryableErrorTypes },
});

// --- Messages ---
// Operator signals and Updates live in daily-sync-operator.ts; re-exported for clients.
export {
  pauseListSignal,
  pauseListUpdate,
  rerunListSignal,
  rerunListUpdate,
  resumeListSignal,
  resumeListUpdate,
  type DailyListState,
  type DailyListStatus,
  type ListSignal,
} from './daily-sync-operator';
import { LIST_RESTORED, LIST_SYNC_FAILED } from './failure-types';

export interface DailySyncStatus {
  client: string;
  phase: 'planning' | 'feedback' | 'lists' | 'responses' | 'done';
  feedback?: ImportFeedbackOutput;
  /** The response ingestion child's result, or why it failed (it does not fail the daily run). */
  responses?: ResponseIngestResult | { failed: string };
  /** What retention removed from the state store at the end of the run, or why it failed. */
  pruned?: PruneStateStoreOutput | { failed: string };
  lists: Record<string, DailyListStatus>;
}

export const statusQuery = defineQuery<DailySyncStatus>('status');

// --- Workflow ---
/** Input of {@link dailySyncWorkflow}: the client only; the lists come from its configuration. */
export interface DailySyncWorkflowInput {
  client: string;
  /** Passed to every list sync; tests lower it to exercise chunking. */
  batchesPerActivity?: number;
  // Histories recorded before it was removed may still carry `testHeartbeatTimeout`: it is ignored.
}

/** Optimizely's prescribed daily order for one client: feedback first, then every list. */
export async function dailySyncWorkflow(input: DailySyncWorkflowInput): Promise<DailySyncStatus> {
  const status: DailySyncStatus = { client: input.client, phase: 'planning', lists: {} };
  const queue: ListQueue = { keys: [], accepting: true };
  // Only who and why travel on: a message's other fields are the sender's, not to be trusted.
  const record = (action: string, m: ListSignal) =>
    bookkeeping.recordOperatorAction({ client: input.client, action, listKey: m.listKey, by: m.by, reason: m.reason });

  setHandler(statusQuery, () => status);
  handleDailyOperatorMessages(status, queue, record);

  upsertSearchAttributes([{ key: CLIENT_KEY, value: input.client }]);
  // Runs started before this patch are not recorded in the state store as daily runs.
  const run = dailyRunRecord(bookkeeping, input.client, patched(DAILY_RUN_IN_STORE_PATCH));
  await run.start();
  try {
    await runPhases(input, status, queue, run);
  } catch (error) {
    await run.finish('failed', { lists: listStateCounts(status.lists), phase: status.phase });
    throw error;
  }
  const outcome = dailyOutcome(status.lists);
  await run.finish(outcome, { lists: listStateCounts(status.lists) });
  // A restored list is not today's list: the run fails so schedules and alerts see it.
  if (outcome !== 'ready') {
    const failed = Object.entries(status.lists).filter(([, list]) => list.state === 'failed' || list.state === 'restored');
    throw ApplicationFailure.create({
      type: LIST_SYNC_FAILED,
      message: `List syncs failed: ${failed.map(([key]) => key).join(', ')}`,
      details: [status],
    });
  }
  return status;
}

/** Plan, feedback, lists, responses, retention: each phase recorded as a step of the daily run. */
async function runPhases(input: DailySyncWorkflowInput, status: DailySyncStatus, queue: ListQueue, run: DailyRunRecord): Promise<void> {
  const plan = await bookkeeping.planDailyRun({ client: input.client });
  for (const list of plan.lists) {
    const workflowId = listSyncWorkflowId(input.client, list.listKey);
    status.lists[list.listKey] = list.paused
      ? { state: 'paused', workflowId, note: `paused by ${list.pausedBy ?? 'unknown'}: ${list.pauseReason ?? ''}` }
      : { state: 'pending', workflowId };
    if (!list.paused) queue.keys.push(list.listKey);
  }
  setPhase(status, 'feedback');
  // Before this patch every night shared the fixed folder `daily:<client>`; now each run keeps its own artefacts.
  const feedbackRunId = patched(DAILY_RUN_OWN_ARTEFACTS_PATCH)
    ? dailyRunArtefactsId(input.client, workflowInfo().runId)
    : `daily:${input.client}`;
  status.feedback = await run.phase(
    'feedback',
    () => feedback.importFeedback({ client: input.client, runId: feedbackRunId }),
    (imported) => ({
      status: 'completed',
      details: { artefacts: feedbackRunId, bounces: imported.bounces, unsubscribes: imported.unsubscribes },
    }),
  );
  const alerts = patched(ALERTS_DAILY_SYNC_PATCH);
  if (alerts) await notifyQuarantine(input.client, status.feedback);
  setPhase(status, 'lists');
  const lanes = startLanes(input, status, queue, Math.max(1, plan.listParallelism));
  await run.phase(
    'lists',
    () => lanes.listsDone,
    () => listsStepOutcome(status.lists),
  );
  // Histories recorded before response ingestion joined the daily order must still replay.
  if (patched(RESPONSE_INGESTION_PATCH)) {
    setPhase(status, 'responses');
    status.responses = await run.phase('responses', () => runResponses(input.client), phaseOutcome);
    if (alerts) await notifyResponseLag(input.client, status.responses);
  }
  if (patched(PRUNE_STATE_STORE_PATCH)) status.pruned = await run.phase('retention', () => pruneStateStore(input.client), phaseOutcome);
  await lanes.close();
  setPhase(status, 'done');
  await condition(allHandlersFinished);
}

/** A phase that reports its own failure (`{ failed }`) instead of throwing: a failed step; else its run id if any. */
function phaseOutcome(result: object): { status: 'completed' | 'failed'; details: Record<string, unknown> } {
  if ('failed' in result) return { status: 'failed', details: { error: String(result.failed) } };
  return { status: 'completed', details: 'runId' in result && typeof result.runId === 'string' ? { runId: result.runId } : {} };
}

// --- Helpers ---
/**
 * Runs the queued list syncs, at most `count` at once. `listsDone` resolves when the planned lists (and
 * re-runs queued meanwhile) are done. Since LANES_OPEN_UNTIL_DONE_PATCH the lanes then stay open, so a
 * re-run or resume accepted during the responses phase or retention still runs; `close` stops taking
 * new lists and waits for those running. Before the patch the lanes ended with the lists.
 */
function startLanes(input: DailySyncWorkflowInput, status: DailySyncStatus, queue: ListQueue, count: number) {
  const stayOpen = patched(LANES_OPEN_UNTIL_DONE_PATCH);
  const state = { running: 0, closing: false };
  const lane = async () => {
    for (;;) {
      let listKey = queue.keys.shift();
      if (listKey === undefined && stayOpen) {
        await condition(() => queue.keys.length > 0 || state.closing);
        listKey = queue.keys.shift();
      }
      if (listKey === undefined) return;
      state.running += 1;
      await runList(input, status.lists[listKey] as DailyListStatus, listKey);
      state.running -= 1;
    }
  };
  const all = Promise.all(Array.from({ length: count }, lane));
  const idle = () => queue.keys.length === 0 && state.running === 0;
  return {
    listsDone: stayOpen ? condition(idle) : all.then(() => void (queue.accepting = false)),
    async close(): Promise<void> {
      queue.accepting = false;
      state.closing = true;
      await all;
    },
  };
}

async function runList(input: DailySyncWorkflowInput, list: DailyListStatus, listKey: string): Promise<void> {
  list.state = 'running';
  try {
    // A list sync must outlive a terminated or cancelled daily run past its clear: it is asked to cancel
    // (it stops if it has not cleared, and finishes its refill and verify if it has), never terminated.
    const closePolicy = patched(CHILDREN_CANCELLED_NOT_TERMINATED_PATCH) ? { parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL } : {};
    const child = await startChild(listSyncWorkflow, {
      workflowId: list.workflowId,
      ...closePolicy,
      args: [
        {
          client: input.client,
          listKey,
          feedbackImported: true,
          batchesPerActivity: input.batchesPerActivity,
        },
      ],
    });
    list.runId = child.firstExecutionRunId;
    const result = await child.result();
    Object.assign(list, { state: result.status, verifiedCount: result.verifiedCount, windowSeconds: result.windowSeconds });
    if (result.progress.rejected) list.rejected = result.progress.rejected;
    if (result.progress.drift) list.drift = result.progress.drift;
    if (result.progress.strategy) list.strategy = result.progress.strategy;
    if (result.decidedBy) list.note = `decided by ${result.decidedBy}`;
  } catch (error) {
    // The workflow id is the per-list lock: a re-run already holding it means this list is busy.
    const busy = error instanceof WorkflowExecutionAlreadyStartedError;
    const restored = restoredFailure(error);
    if (restored) Object.assign(list, { state: 'restored', note: restored.message, verifiedCount: restored.verifiedCount });
    else
      Object.assign(list, { state: busy ? 'busy' : 'failed', note: busy ? 'another sync of this list is running' : failureReason(error) });
  }
}

/** Dropped feedback files quarantined by this import open the incident; an import without any clears it. */
async function notifyQuarantine(client: string, imported: ImportFeedbackOutput): Promise<void> {
  // The count, not the list: the list names only the first (bounded-dropped-report.ts).
  const quarantined = imported.dropped?.counts?.quarantined ?? imported.dropped?.quarantined.length ?? 0;
  const runId = workflowInfo().runId;
  await notify({
    client,
    runId,
    kind: 'feedback-quarantined',
    state: quarantined > 0 ? 'open' : 'resolved',
    ...(quarantined > 0 ? { counts: { quarantined } } : {}),
  });
}

/** A lagging response watermark opens the incident; an ingestion that keeps up clears it; a failed one says nothing. */
async function notifyResponseLag(client: string, responses: ResponseIngestResult | { failed: string }): Promise<void> {
  if ('failed' in responses) return;
  const lagging = responses.lagging === true;
  const lostSeconds = Math.round((responses.lostBeforeMs ?? 0) / 1000);
  await notify({
    client,
    runId: workflowInfo().runId,
    kind: 'responses-lagging',
    state: lagging ? 'open' : 'resolved',
    ...(lagging ? { counts: { lostSeconds } } : {}),
  });
}

/** Response ingestion after the lists: its failure is reported, the lists' outcome stands. */
async function runResponses(client: string): Promise<ResponseIngestResult | { failed: string }> {
  try {
    return await (
      await startChild(responseIngestWorkflow, {
        workflowId: responseIngestWorkflowId(client, workflowInfo().runId),
        args: [{ client }],
      })
    ).result();
  } catch (error) {
    log.warn('Response ingestion failed', { client, error: String(error) });
    return { failed: String(error) };
  }
}

/** Retention after the day's work; a failure is reported, the lists' outcome stands. */
async function pruneStateStore(client: string): Promise<PruneStateStoreOutput | { failed: string }> {
  try {
    return await housekeeping.pruneStateStore();
  } catch (error) {
    log.warn('State store retention failed', { client, error: String(error) });
    return { failed: String(error) };
  }
}

/** A list sync that failed after its clear and restored the last good list (workflows/restore-list.ts). */
function restoredFailure(error: unknown): { message: string; verifiedCount?: number } | undefined {
  if (!(error instanceof ChildWorkflowFailure) || !(error.cause instanceof ApplicationFailure) || error.cause.type !== LIST_RESTORED)
    return undefined;
  const details = error.cause.details?.[0] as { verifiedCount?: number } | undefined;
  return { message: error.cause.message, verifiedCount: details?.verifiedCount };
}

function setPhase(status: DailySyncStatus, phase: DailySyncStatus['phase']): void {
  status.phase = phase;
  upsertSearchAttributes([{ key: SYNC_PHASE, value: phase }]);
}
