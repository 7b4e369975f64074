import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { RecordStepInput, RunOutcome } from '../activities/bookkeeping-types';
import type { DailyListStatus } from './daily-sync-operator';
import { failureReason } from './failure-reason';

/** The daily run's phases as the state store records them, in the order they run. */
export const DAILY_STEPS = ['feedback', 'lists', 'responses', 'retention'] as const;
export type DailyStep = (typeof DAILY_STEPS)[number];

type Bookkeeping = Pick<SyncActivities, 'startRun' | 'finishRun' | 'recordStep'>;
type StepOutcome = { status: Exclude<RecordStepInput['status'], 'started'>; details?: Record<string, unknown> };

/**
 * The daily run as a run of kind `daily` in the state store (keyed by its Temporal run id, as list runs
 * are), its phases as steps. Disabled (every call a no-op) for runs started before DAILY_RUN_IN_STORE_PATCH.
 * Bookkeeping never decides the outcome: the activities retry until the store answers, and a phase's
 * own error is recorded and re-thrown unchanged.
 */
export function dailyRunRecord(bookkeeping: Bookkeeping, client: string, enabled: boolean) {
  const { runId, workflowId } = workflowInfo();
  const step = (name: DailyStep, outcome: RecordStepInput['status'], details?: Record<string, unknown>) =>
    bookkeeping.recordStep({ runId, step: name, status: outcome, ...(details ? { details } : {}) });
  return {
    runId,
    async start(): Promise<void> {
      if (enabled) await bookkeeping.startRun({ runId, kind: 'daily', client, workflowId });
    },
    /** Runs one phase between its `started` and its outcome step; a thrown phase is recorded failed. */
    async phase<T>(
      name: DailyStep,
      work: () => Promise<T>,
      outcome: (result: T) => StepOutcome = () => ({ status: 'completed' }),
    ): Promise<T> {
      if (!enabled) return work();
      await step(name, 'started');
      let result: T;
      try {
        result = await work();
      } catch (error) {
        await CancellationScope.nonCancellable(() => step(name, 'failed', { error: failureReason(error) }));
        throw error;
      }
      const { status, details } = outcome(result);
      await step(name, status, details);
      return result;
    },
    async finish(status: RunOutcome, summary: Record<string, unknown>): Promise<void> {
      if (enabled) await CancellationScope.nonCancellable(() => bookkeeping.finishRun({ runId, status, summary }));
    },
  };
}

export type DailyRunRecord = ReturnType<typeof dailyRunRecord>;

/** A daily run with a failed list failed; one with a restored list (not today's list) restored; else ready. */
export function dailyOutcome(lists: Record<string, DailyListStatus>): RunOutcome {
  const states = Object.values(lists).map((list) => list.state);
  if (states.includes('failed')) return 'failed';
  if (states.includes('restored')) return 'restored';
  return 'ready';
}

/** How many lists ended in each state (`lists.ready`, `lists.failed`, ...): the daily run's counts. */
export function listStateCounts(lists: Record<string, DailyListStatus>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const list of Object.values(lists)) counts[list.state] = (counts[list.state] ?? 0) + 1;
  return counts;
}

/** The lists step's details: each list's end state and the run id of its list sync (`report <run id>`). */
export function listsStepOutcome(lists: Record<string, DailyListStatus>): StepOutcome {
  const details = Object.fromEntries(
    Object.entries(lists).map(([key, list]) => [key, { state: list.state, ...(list.runId ? { runId: list.runId } : {}) }]),
  );
  return { status: dailyOutcome(lists) === 'ready' ? 'completed' : 'failed', details: { lists: details } };
}
