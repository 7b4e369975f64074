import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ImportFeedbackOutput, PruneStateStoreOutput, SyncActivities } from '../activities/types';
import { dailyRunArtefactsId, listSyncWorkflowId, responseIngestWorkflowId } from './ids';
import { DAILY_RUN_OWN_ARTEFACTS_PATCH, PRUNE_STATE_STORE_PATCH, RESPONSE_INGESTION_PATCH } from './patches';
import { listSyncWorkflow, pauseSignal, resumeSignal, type ListSyncWorkflowInput, type OperatorSignal } from './list-sync';
import { responseIngestWorkflow, type ResponseIngestResult } from './response-ingest';
import { failureReason } from './failure-reason';
import { PERMANENT_ERROR_TYPES } from './retry-contract';
import { CLIENT_KEY, SYNC_PHASE } from './search-attributes';

// --- Activity tiers ---
const nonRetryableErrorTypes = [...PERMANENT_ERROR_TYPES];
// State store reads and writes on the worker's own database: fast, or something is wrong.
const bookkeeping = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds', nonRetryableErrorTypes },
});
// Retention: long deletes, heartbeated; a few tries, then reported in the status (the lists stand).
const housekeeping = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
// Feedback must be in the CRM before any export; bounded so a broken import fails the run visibly.
const feedback = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { maximumInterval: '2 minutes', maximumAttempts: 10, nonRetryableErrorTypes },
});

// --- Messages ---
export interface ListSignal extends OperatorSignal {
  listKey: string;
}

export type DailyListState = 'pending' | 'running' | 'ready' | 'rejected' | 'skipped' | 'paused' | 'busy' | 'failed';

export interface DailyListStatus {
  state: DailyListState;
  workflowId: string;
  note?: string;
  verifiedCount?: number;
  windowSeconds?: number;
  /** Recipients Optimizely refused on their own (ledgered rejected); the list is ready without them. */
  rejected?: number;
}

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

export const pauseListSignal = defineSignal<[ListSignal]>('pauseList');
export const resumeListSignal = defineSignal<[ListSignal]>('resumeList');
export const rerunListSignal = defineSignal<[ListSignal]>('rerunList');
export const statusQuery = defineQuery<DailySyncStatus>('status');

// --- Workflow ---
/** Input of {@link dailySyncWorkflow}: the client only; the lists come from its configuration. */
export interface DailySyncWorkflowInput {
  client: string;
  /** Passed to every list sync; tests lower it to exercise chunking. */
  batchesPerActivity?: number;
  /** TEST ONLY: passed to every list sync (see ListSyncWorkflowInput.testHeartbeatTimeout). */
  testHeartbeatTimeout?: ListSyncWorkflowInput['testHeartbeatTimeout'];
}

/** Optimizely's prescribed daily order for one client: feedback first, then every list. */
export async function dailySyncWorkflow(input: DailySyncWorkflowInput): Promise<DailySyncStatus> {
  const status: DailySyncStatus = { client: input.client, phase: 'planning', lists: {} };
  const queue: string[] = [];
  const record = (action: string, signal: ListSignal) =>
    bookkeeping.recordOperatorAction({ client: input.client, action, ...signal });

  setHandler(statusQuery, () => status);
  setHandler(pauseListSignal, async (signal) => {
    await onPauseList(status, queue, signal);
    await record('pauseList', signal);
  });
  setHandler(resumeListSignal, async (signal) => {
    await onResumeList(status, queue, signal);
    await record('resumeList', signal);
  });
  setHandler(rerunListSignal, async (signal) => {
    const list = status.lists[signal.listKey];
    if (list && list.state !== 'running' && !queue.includes(signal.listKey)) {
      Object.assign(list, { state: 'pending', note: `re-run requested by ${signal.by}` });
      queue.push(signal.listKey);
    }
    await record('rerunList', signal);
  });

  upsertSearchAttributes([{ key: CLIENT_KEY, value: input.client }]);
  const plan = await bookkeeping.planDailyRun({ client: input.client });
  for (const list of plan.lists) {
    const workflowId = listSyncWorkflowId(input.client, list.listKey);
    status.lists[list.listKey] = list.paused
      ? { state: 'paused', workflowId, note: `paused by ${list.pausedBy ?? 'unknown'}: ${list.pauseReason ?? ''}` }
      : { state: 'pending', workflowId };
    if (!list.paused) queue.push(list.listKey);
  }
  setPhase(status, 'feedback');
  // Before this patch every night shared the fixed folder `daily:<client>`; now each run keeps its own artefacts.
  const feedbackRunId = patched(DAILY_RUN_OWN_ARTEFACTS_PATCH) ? dailyRunArtefactsId(input.client, workflowInfo().runId) : `daily:${input.client}`;
  status.feedback = await feedback.importFeedback({ client: input.client, runId: feedbackRunId });
  setPhase(status, 'lists');
  await runLists(input, status, queue, Math.max(1, plan.listParallelism));
  // Histories recorded before response ingestion joined the daily order must still replay.
  if (patched(RESPONSE_INGESTION_PATCH)) {
    setPhase(status, 'responses');
    status.responses = await runResponses(input.client);
  }
  if (patched(PRUNE_STATE_STORE_PATCH)) status.pruned = await pruneStateStore(input.client);
  setPhase(status, 'done');
  await condition(allHandlersFinished);
  const failed = Object.entries(status.lists).filter(([, list]) => list.state === 'failed');
  if (failed.length > 0) {
    throw ApplicationFailure.create({
      type: 'ListSyncFailedError',
      message: `List syncs failed: ${failed.map(([key]) => key).join(', ')}`,
      details: [status],
    });
  }
  return status;
}

// --- Helpers ---
/** Runs the queued list syncs, at most `lanes` at once; re-runs queued meanwhile are picked up. */
async function runLists(input: DailySyncWorkflowInput, status: DailySyncStatus, queue: string[], lanes: number): Promise<void> {
  const lane = async () => {
    for (let listKey = queue.shift(); listKey !== undefined; listKey = queue.shift()) {
      await runList(input, status.lists[listKey] as DailyListStatus, listKey);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

async function runList(input: DailySyncWorkflowInput, list: DailyListStatus, listKey: string): Promise<void> {
  list.state = 'running';
  try {
    const child = await startChild(listSyncWorkflow, {
      workflowId: list.workflowId,
      args: [{
        client: input.client,
        listKey,
        feedbackImported: true,
        batchesPerActivity: input.batchesPerActivity,
        ...(input.testHeartbeatTimeout ? { testHeartbeatTimeout: input.testHeartbeatTimeout } : {}),
      }],
    });
    const result = await child.result();
    Object.assign(list, { state: result.status, verifiedCount: result.verifiedCount, windowSeconds: result.windowSeconds });
    if (result.progress.rejected) list.rejected = result.progress.rejected;
    if (result.decidedBy) list.note = `decided by ${result.decidedBy}`;
  } catch (error) {
    // The workflow id is the per-list lock: a re-run already holding it means this list is busy.
    const busy = error instanceof WorkflowExecutionAlreadyStartedError;
    Object.assign(list, { state: busy ? 'busy' : 'failed', note: busy ? 'another sync of this list is running' : failureReason(error) });
  }
}

/** Response ingestion after the lists: its failure is reported, the lists' outcome stands. */
async function runResponses(client: string): Promise<ResponseIngestResult | { failed: string }> {
  try {
    return await (await startChild(responseIngestWorkflow, {
      workflowId: responseIngestWorkflowId(client, workflowInfo().runId),
      args: [{ client }],
    })).result();
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

async function onPauseList(status: DailySyncStatus, queue: string[], signal: ListSignal): Promise<void> {
  const list = status.lists[signal.listKey];
  if (!list) return;
  const queued = queue.indexOf(signal.listKey);
  if (queued >= 0) queue.splice(queued, 1);
  if (list.state === 'running') {
    await getExternalWorkflowHandle(list.workflowId).signal(pauseSignal, { by: signal.by, reason: signal.reason });
  } else if (list.state === 'pending') {
    Object.assign(list, { state: 'paused', note: `paused by ${signal.by}: ${signal.reason ?? ''}` });
  }
}

async function onResumeList(status: DailySyncStatus, queue: string[], signal: ListSignal): Promise<void> {
  const list = status.lists[signal.listKey];
  if (!list) return;
  if (list.state === 'running') {
    await getExternalWorkflowHandle(list.workflowId).signal(resumeSignal, { by: signal.by, reason: signal.reason });
  } else if (list.state === 'paused') {
    Object.assign(list, { state: 'pending', note: `resumed by ${signal.by}` });
    queue.push(signal.listKey);
  }
}

function setPhase(status: DailySyncStatus, phase: DailySyncStatus['phase']): void {
  status.phase = phase;
  upsertSearchAttributes([{ key: SYNC_PHASE, value: phase }]);
}
