import type { RunKind } from '../src/store/run-types';

// JSON-plain references and counts only: every input and output lands in workflow histories.

export interface PlanDailyRunInput {
  client: string;
}

export interface PlannedList {
  listKey: string;
  paused: boolean;
  pausedBy?: string;
  pauseReason?: string;
  /** Set by readListControl for a list with strategy reconcile (absent: refresh). */
  strategy?: 'reconcile';
}

export interface PlanDailyRunOutput {
  lists: PlannedList[];
  /** How many list syncs may run at once for this client. */
  listParallelism: number;
}

export interface FeedbackFreshnessInput {
  client: string;
  maxAgeMinutes: number;
}

export interface FeedbackFreshnessOutput {
  fresh: boolean;
  lastImportAt?: string;
}

/**
 * How a workflow says its run ended (`finishRun`): a list sync's outcome (`ready`, `rejected`, `skipped`),
 * `failed` or `restored`. The run's status is the state store's `RunStatus`; bookkeeping records an
 * outcome as one (ready → completed, skipped → cancelled). The words stay as workflows have always
 * sent them: finished list syncs are counted under them in the metrics, and an activity task in flight
 * across an upgrade carries them.
 */
export type RunOutcome = 'ready' | 'rejected' | 'skipped' | 'failed' | 'restored';

export interface StartRunInput {
  runId: string;
  kind: RunKind;
  client: string;
  listKey?: string;
  workflowId: string;
}

export interface FinishRunInput {
  runId: string;
  status: RunOutcome;
  summary: Record<string, unknown>;
}

/** A ready list run's consent latency, stage list (src/sync/list-consent-latency.ts); empty otherwise. */
export interface FinishRunOutput {
  /** Whole minutes from an opt-out at Optimizely to this verified refill, to how many recipients took them. */
  consentLatencyMinutes?: Record<string, number>;
}

export interface RecordStepInput {
  runId: string;
  step: string;
  status: 'started' | 'completed' | 'failed' | 'skipped';
  details?: Record<string, unknown>;
}

export interface OperatorActionInput {
  client: string;
  listKey?: string;
  runId?: string;
  action: string;
  by: string;
  reason?: string;
}
