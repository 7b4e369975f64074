import type { StateStore } from '../src/store/state-store';
import type { RunRecord, RunStatus } from '../src/store/run-types';
import type { ActivityDependencies } from './deps';
import { FEEDBACK_IMPORTED_AT } from '../src/feedback/watermark-kinds';
import { CONSENT_LATENCY_STEP } from '../src/alerts/consent-latency-summary';
import { listConsentLatency } from '../src/sync/list-consent-latency';
import type {
  FeedbackFreshnessInput,
  FeedbackFreshnessOutput,
  FinishRunInput,
  FinishRunOutput,
  OperatorActionInput,
  PlanDailyRunInput,
  PlanDailyRunOutput,
  PlannedList,
  RecordStepInput,
  RunOutcome,
  StartRunInput,
} from './bookkeeping-types';
import type { ListRef } from './refs';

// How the state store records a workflow's outcome: a ready list or day completed its run, a skipped
// (paused) list cancelled it. The one run status vocabulary is the store's `RunStatus`.
const STORE_STATUS: Record<RunOutcome, RunStatus> = {
  ready: 'completed',
  rejected: 'rejected',
  failed: 'failed',
  skipped: 'cancelled',
  restored: 'restored',
};

/** State store reads and writes the workflows need: runs, steps, controls and the audit trail. */
export function createBookkeepingActivities(deps: ActivityDependencies) {
  const { store, config } = deps;
  const now = () => deps.now().toISOString();
  return {
    async planDailyRun(input: PlanDailyRunInput): Promise<PlanDailyRunOutput> {
      const client = config.clients.find((c) => c.key === input.client);
      if (!client) return { lists: [], listParallelism: 1 };
      const lists: PlannedList[] = [];
      for (const list of client.lists.filter((l) => l.enabled)) lists.push(await listControl(store, input.client, list.key));
      return { lists, listParallelism: client.listParallelism };
    },
    async readListControl(input: ListRef): Promise<PlannedList> {
      const control = await listControl(store, input.client, input.listKey);
      // The strategy travels only when it is not the default, so refresh runs answer as before.
      const list = config.clients.find((c) => c.key === input.client)?.lists.find((l) => l.key === input.listKey);
      return list?.strategy === 'reconcile' ? { ...control, strategy: 'reconcile' } : control;
    },
    async checkFeedbackFreshness(input: FeedbackFreshnessInput): Promise<FeedbackFreshnessOutput> {
      const lastImportAt = await store.watermarks.get(input.client, FEEDBACK_IMPORTED_AT);
      const ageMs = lastImportAt ? deps.now().getTime() - Date.parse(lastImportAt) : Infinity;
      return { fresh: ageMs <= input.maxAgeMinutes * 60_000, lastImportAt };
    },
    async startRun(input: StartRunInput): Promise<void> {
      const existing = await store.runs.get(input.runId);
      await store.runs.upsert({
        runId: input.runId,
        kind: input.kind,
        client: input.client,
        listKey: input.listKey ?? null,
        status: 'running',
        startedAt: existing?.startedAt ?? now(),
        endedAt: null,
        counts: existing?.counts ?? {},
        snapshot: existing?.snapshot ?? null,
      });
    },
    async finishRun(input: FinishRunInput): Promise<FinishRunOutput> {
      const run = await store.runs.get(input.runId);
      if (!run) return {};
      const endedAt = now();
      await store.runs.upsert({
        ...run,
        status: STORE_STATUS[input.status],
        endedAt,
        counts: { ...run.counts, ...flattenCounts(input.summary) },
      });
      if (input.status !== 'ready' || run.kind !== 'list' || !run.listKey) return {};
      return { consentLatencyMinutes: await recordListConsentLatency(deps, run, endedAt) };
    },
    async recordStep(input: RecordStepInput): Promise<void> {
      const done = input.status !== 'started';
      await store.runs.upsertStep({
        runId: input.runId,
        name: input.step,
        status: input.status === 'started' ? 'running' : input.status,
        startedAt: now(),
        endedAt: done ? now() : null,
        details: (input.details ?? {}) as RunRecord['counts'],
      });
    },
    async recordOperatorAction(input: OperatorActionInput): Promise<void> {
      await store.controls.recordAction({
        actor: input.by,
        action: input.action,
        client: input.client,
        listKey: input.listKey ?? null,
        reason: input.reason ?? '',
        at: now(),
        details: input.runId ? { runId: input.runId } : undefined,
      });
    },
  };
}

/**
 * Consent latency, stage list, of a ready list run: measured once (a retried finishRun reads the step
 * it recorded instead of measuring again) and kept as the run's `consent-latency` step for `report`.
 */
async function recordListConsentLatency(deps: ActivityDependencies, run: RunRecord, verifiedAt: string): Promise<Record<string, number>> {
  const recorded = (await deps.store.runs.steps(run.runId)).find((step) => step.name === CONSENT_LATENCY_STEP);
  if (recorded) return (recorded.details.minutes ?? {}) as Record<string, number>;
  const list = deps.config.clients.find((c) => c.key === run.client)?.lists.find((l) => l.key === run.listKey);
  if (!list) return {};
  const latency = await listConsentLatency(deps.store, {
    client: run.client,
    listKey: list.key,
    listId: list.listId,
    runId: run.runId,
    verifiedAt,
  });
  await deps.store.runs.upsertStep({
    runId: run.runId,
    name: CONSENT_LATENCY_STEP,
    status: 'completed',
    startedAt: verifiedAt,
    endedAt: verifiedAt,
    details: { stage: 'list', minutes: latency.minutes, ...(latency.previousRunId ? { previousRunId: latency.previousRunId } : {}) },
  });
  return latency.minutes;
}

async function listControl(store: StateStore, client: string, listKey: string): Promise<PlannedList> {
  const control = await store.controls.getList(client, listKey);
  if (!control?.paused) return { listKey, paused: false };
  return { listKey, paused: true, pausedBy: control.by, pauseReason: control.reason };
}

/** Run counts are numbers only: nested counts become `excluded.invalid_email`-style keys. */
export function flattenCounts(summary: Record<string, unknown>, prefix = ''): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (typeof value === 'number' && Number.isFinite(value)) flat[prefix + key] = value;
    else if (value && typeof value === 'object') Object.assign(flat, flattenCounts(value as Record<string, unknown>, `${prefix}${key}.`));
  }
  return flat;
}
