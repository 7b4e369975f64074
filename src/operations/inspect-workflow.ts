import { WorkflowNotFoundError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { QueryDefinition } from '@temporalio/common';
import { SYNC_PHASE } from '../../workflows/search-attributes';

/** How long a describe or history read may take: the server answers these without a worker. */
export const QUERY_DEADLINE_MS = 3_000;

/**
 * How `status` asks a workflow: a live worker answers in milliseconds, but a busy one (a refill
 * saturating its CPU, a long workflow task) can take seconds, so each ask gets `answerTimeoutMs` and
 * an unanswered ask is repeated before concluding that no worker is answering.
 */
export interface AskOptions {
  answerTimeoutMs: number;
  attempts: number;
}
export const DEFAULT_ASK: AskOptions = { answerTimeoutMs: 10_000, attempts: 2 };

/** Phases in which the list may have been cleared and is not yet verified refilled. */
const CLEARED_PHASES = new Set(['clearing', 'refilling', 'verifying']);

/** An activity Temporal is retrying: which, which attempt, and why the last one failed. */
export interface Retrying {
  activity: string;
  attempt: number;
  lastError?: string;
}

/** An open workflow whose query got no answer: what the server still knows without a worker. */
export interface Unanswered {
  workflowId: string;
  /** The last phase the workflow published (the `SyncPhase` search attribute). */
  lastKnownPhase?: string;
  /** True when that phase is past the first clear attempt: the list may be incomplete in Optimizely. */
  listIncomplete: boolean;
  /** Seconds since anything last happened in the run (its last history event or activity heartbeat). */
  silentForSeconds: number;
  /** Why the query failed (deadline, no poller). */
  error: string;
}

export type Inspection<T> = { answer: T; retrying: Retrying[] } | { unanswered: Unanswered; retrying: Retrying[] } | { closed: true };

/**
 * Queries an open workflow with a short deadline. Without an answer it reads what the server keeps
 * (search attributes, pending activities, the last event) so `status` can say how long nothing has
 * run and what the run was last doing, instead of waiting or pretending nothing is open.
 */
export async function inspectWorkflow<T>(
  temporal: Client,
  handle: WorkflowHandle,
  query: QueryDefinition<T>,
  ask: AskOptions = DEFAULT_ASK,
): Promise<Inspection<T>> {
  const described = await describeOpen(temporal, handle);
  if (!described) return { closed: true };
  const retrying = retryingActivities(described);
  let error: unknown;
  let again: WorkflowExecutionDescription | undefined = described;
  for (let attempt = 1; attempt <= Math.max(1, ask.attempts); attempt += 1) {
    try {
      const answer = await temporal.withDeadline(Date.now() + ask.answerTimeoutMs, () => handle.query(query));
      return { answer, retrying };
    } catch (failure) {
      error = failure;
      // A run that closed meanwhile is not unanswered; one still open is asked again.
      again = await describeOpen(temporal, handle);
      if (!again) return { closed: true };
    }
  }
  return { retrying, unanswered: await unansweredOf(temporal, again, handle.workflowId, error) };
}

/** What the server still knows of a run that did not answer. */
async function unansweredOf(
  temporal: Client,
  again: WorkflowExecutionDescription,
  workflowId: string,
  error: unknown,
): Promise<Unanswered> {
  const lastKnownPhase = again.typedSearchAttributes.get(SYNC_PHASE);
  const lastActivity = await lastActivityMs(temporal, again);
  return {
    workflowId,
    ...(lastKnownPhase ? { lastKnownPhase } : {}),
    listIncomplete: lastKnownPhase !== undefined && CLEARED_PHASES.has(lastKnownPhase),
    silentForSeconds: Math.max(0, Math.round((Date.now() - lastActivity) / 1000)),
    error: error instanceof Error ? error.message : String(error),
  };
}

async function describeOpen(temporal: Client, handle: WorkflowHandle): Promise<WorkflowExecutionDescription | undefined> {
  try {
    const description = await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.describe());
    return description.status.name === 'RUNNING' ? description : undefined;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Pending activities past their first attempt: Temporal is retrying them (an outage, a dead worker). */
export function retryingActivities(description: WorkflowExecutionDescription): Retrying[] {
  return (description.raw.pendingActivities ?? []).flatMap((activity) => {
    const attempt = activity.attempt ?? 1;
    if (attempt <= 1) return [];
    const message = activity.lastFailure?.message ?? undefined;
    // The message may quote a remote fault: keep it short and free of terminal control characters.
    // eslint-disable-next-line no-control-regex -- replacing control characters is the point
    const lastError = message?.slice(0, 200).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ');
    return [{ activity: activity.activityType?.name ?? '?', attempt, ...(lastError ? { lastError } : {}) }];
  });
}

/** The newest of: the run's last history event, its activities' last heartbeats and starts. */
async function lastActivityMs(temporal: Client, description: WorkflowExecutionDescription): Promise<number> {
  const times = (description.raw.pendingActivities ?? []).flatMap((a) => [
    optionalTsToMs(a.lastHeartbeatTime),
    optionalTsToMs(a.lastStartedTime),
  ]);
  const reverse = await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
    temporal.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: temporal.options.namespace,
      execution: { workflowId: description.workflowId, runId: description.runId },
      maximumPageSize: 1,
    }),
  );
  times.push(optionalTsToMs(reverse.history?.events?.[0]?.eventTime));
  return Math.max(...times.filter((t): t is number => t !== undefined), description.startTime.getTime());
}
