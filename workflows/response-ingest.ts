import { defineQuery, log, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ResponseActivities } from '../activities/activity-interfaces';
import type { PlanResponseIngestOutput } from '../activities/responses-types';
import type { ResponseCounts } from '../src/responses/response-counts';
import { PERMANENT_ERROR_TYPES } from './retry-contract';
import { CLIENT_KEY } from './search-attributes';

// --- Activity tiers ---
const nonRetryableErrorTypes = [...PERMANENT_ERROR_TYPES];
// Planning and the run record: one SOAP call and state store writes.
const bookkeeping = proxyActivities<ResponseActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds', nonRetryableErrorTypes },
});
// A window may hold hundreds of thousands of rows; the heartbeated checkpoint (getter + startRow)
// lets a retry resume at the next page. Bounded attempts so a broken CRM fails the run visibly;
// the watermark has not moved, so the next run reads the window again.
const windows = proxyActivities<ResponseActivities>({
  startToCloseTimeout: '2 hours',
  // The window heartbeats every second (activities/keepalive.ts): 30 s without one means its worker is gone.
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '2 minutes', maximumAttempts: 10, nonRetryableErrorTypes },
});

// --- Messages ---
export interface ResponseIngestStatus {
  client: string;
  phase: 'planning' | 'reading' | 'done' | 'failed';
  windowsDone: number;
  windowsTotal: number;
  /** Watermark reached so far (ISO), in Optimizely server time. */
  watermark?: string;
  /** The watermark is so far behind that data expires (or expired) before it is read. */
  lagging: boolean;
  /** Length (ms) of the span that expired unread; 0 when nothing was lost. */
  lostBeforeMs: number;
  counts?: ResponseCounts;
}

export const responseStatusQuery = defineQuery<ResponseIngestStatus>('status');

// --- Workflow ---
/** Input of {@link responseIngestWorkflow}: the client only; windows come from its watermark. */
export interface ResponseIngestWorkflowInput {
  client: string;
  /** Window length (ms); tests shorten it. Defaults to a day. */
  windowMs?: number;
}

/** What a run read and applied: counts and times only, never a recipient. */
export interface ResponseIngestResult extends ResponseIngestStatus {
  runId: string;
  since: string;
  until: string;
}

/** Response data since the last watermark into the CRM, window by window, watermark after each. */
export async function responseIngestWorkflow(input: ResponseIngestWorkflowInput): Promise<ResponseIngestResult> {
  const { runId, workflowId } = workflowInfo();
  const status: ResponseIngestStatus = {
    client: input.client,
    phase: 'planning',
    windowsDone: 0,
    windowsTotal: 0,
    lagging: false,
    lostBeforeMs: 0,
  };
  setHandler(responseStatusQuery, () => status);
  upsertSearchAttributes([{ key: CLIENT_KEY, value: input.client }]);

  const plan = await bookkeeping.planResponseIngest({
    client: input.client,
    runId,
    workflowId,
    ...(input.windowMs ? { windowMs: input.windowMs } : {}),
  });
  Object.assign(status, { phase: 'reading', windowsTotal: plan.windows.length, lagging: plan.lagging, lostBeforeMs: plan.lostBeforeMs });
  warnOnLag(input.client, plan);
  let counts: ResponseCounts | undefined;
  try {
    for (const window of plan.windows) {
      const result = await windows.ingestResponseWindow({ client: input.client, runId, ...window });
      counts = counts ? addCounts(counts, result.counts) : result.counts;
      Object.assign(status, { windowsDone: status.windowsDone + 1, watermark: result.watermark, counts });
    }
  } catch (error) {
    status.phase = 'failed';
    await bookkeeping.finishResponseIngest({
      ...finishFields(input.client, runId, status, plan),
      status: 'failed',
      counts: counts ?? emptyLike(),
    });
    throw error;
  }
  status.phase = 'done';
  status.counts = counts ?? emptyLike();
  await bookkeeping.finishResponseIngest({
    ...finishFields(input.client, runId, status, plan),
    status: 'completed',
    counts: status.counts,
  });
  return { ...status, runId, since: new Date(plan.since).toISOString(), until: new Date(plan.until).toISOString() };
}

// --- Helpers ---
function warnOnLag(client: string, plan: PlanResponseIngestOutput): void {
  if (!plan.lagging) return;
  log.warn('Response ingestion lagging', {
    client,
    lostBeforeMs: plan.lostBeforeMs,
    windows: plan.windows.length,
    previousWatermark: plan.previousWatermark,
  });
}

function finishFields(client: string, runId: string, status: ResponseIngestStatus, plan: PlanResponseIngestOutput) {
  return { client, runId, windows: status.windowsDone, lagging: plan.lagging, lostBeforeMs: plan.lostBeforeMs };
}

/** Adds per kind and outcome; workflow code must not import src/ at runtime, hence this copy. */
function addCounts(into: ResponseCounts, more: ResponseCounts): ResponseCounts {
  const sum = JSON.parse(JSON.stringify(into)) as ResponseCounts;
  for (const [kind, outcomes] of Object.entries(more) as Array<[keyof ResponseCounts, ResponseCounts[keyof ResponseCounts]]>) {
    for (const [outcome, n] of Object.entries(outcomes) as Array<[keyof typeof outcomes, number]>) sum[kind][outcome] += n;
  }
  return sum;
}

/** All-zero counts for a run that read no window. */
function emptyLike(): ResponseCounts {
  const zero = {
    read: 0,
    applied: 0,
    handed: 0,
    alreadyApplied: 0,
    duplicate: 0,
    noCampaign: 0,
    unknownRecipient: 0,
    unknownEntity: 0,
    ignored: 0,
    invalid: 0,
    unresolvedOptOut: 0,
  };
  return { mailing: { ...zero }, bounce: { ...zero }, unsubscribe: { ...zero }, open: { ...zero }, click: { ...zero }, other: { ...zero } };
}
