import { ApplicationFailure, log, type proxyActivities } from '@temporalio/workflow';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { Counts } from '../activities/refs';
import { acceptedCount } from './list-sync-state';
import { refillSnapshot, type RefillTally } from './refill-loop';
import { LIST_INCOMPLETE, LIST_RESTORED } from './failure-types';

type Activities = ReturnType<typeof proxyActivities<SyncActivities>>;

export interface RestoreTiers {
  clearing: Activities;
  afterClear: Activities;
  recording: Activities;
  bookkeeping: Activities;
}

/** How a restore ended: the list holds the last good recipients minus the suppressed, or is left incomplete. */
export type RestoreOutcome =
  | {
      restored: true;
      restoreRunId: string;
      fromRunId: string;
      fromStartedAt: string;
      verifiedCount: number;
      suppressed: Counts;
      rejected: number;
    }
  | { restored: false; restoreRunId: string; reason: string };

/** The restore's own run id: its snapshot, exclusions and sent ledger, beside the failed run's. */
export const restoreRunIdOf = (runId: string): string => `${runId}:restore`;

/**
 * Refills a list whose sync failed after its clear with the last good run's recipients minus
 * everyone suppressed since (prepareRestore), from a fresh clear (the failed refill's partial batches
 * go), and verifies the count. Never throws: an outcome that is not `restored` says why, and the
 * list is then incomplete. Runs on the caller's tiers, so transient faults are retried as in a refill.
 */
export async function restoreLastGood(
  ref: { client: string; listKey: string; runId: string },
  tiers: RestoreTiers,
  batchesPerActivity: number,
): Promise<RestoreOutcome> {
  const restoreRunId = restoreRunIdOf(ref.runId);
  const restoreRef = { ...ref, runId: restoreRunId };
  const tally: RefillTally = { batchesDone: 0, batchesTotal: 0, sent: 0, rejected: 0, resultCodes: {} };
  let outcome: RestoreOutcome;
  try {
    const plan = await tiers.afterClear.prepareRestore({ ...ref, restoreRunId });
    if (!plan.restorable) {
      outcome = { restored: false, restoreRunId, reason: plan.reason };
    } else {
      await tiers.clearing.clearList(ref);
      await refillSnapshot({ activities: tiers.afterClear, ref: restoreRef, snapshot: plan, batchesPerActivity, deferLedger: true, tally });
      const expected = acceptedCount(tally.resultCodes);
      const verified = await tiers.afterClear.verifyList({ ...ref, expected });
      outcome = verified.matches
        ? {
            restored: true,
            restoreRunId,
            fromRunId: plan.fromRunId,
            fromStartedAt: plan.fromStartedAt,
            verifiedCount: verified.count,
            suppressed: plan.suppressed,
            rejected: tally.rejected,
          }
        : { restored: false, restoreRunId, reason: `after the restore the list holds ${verified.count} recipients, expected ${expected}` };
    }
  } catch (error) {
    outcome = { restored: false, restoreRunId, reason: `the restore failed: ${String(error)}` };
  }
  await recordRestore(tiers, ref, outcome, tally);
  return outcome;
}

/** The restore's sent ledger and its run record; best effort, the list is what matters. */
async function recordRestore(
  tiers: RestoreTiers,
  ref: { client: string; listKey: string; runId: string },
  outcome: RestoreOutcome,
  tally: RefillTally,
): Promise<void> {
  const restoreRef = { ...ref, runId: outcome.restoreRunId };
  try {
    if (tally.batchesDone > 0) await tiers.recording.recordSentLedger(restoreRef);
    const status = outcome.restored ? 'restored' : 'failed';
    const summary = outcome.restored ? { verifiedCount: outcome.verifiedCount, suppressed: outcome.suppressed } : {};
    await tiers.bookkeeping.finishRun({
      runId: restoreRef.runId,
      status,
      summary: { ...summary, sent: tally.sent, rejected: tally.rejected, resultCodes: tally.resultCodes },
    });
    // On the failed run: where it was restored from, or why not, for status, report and runs.
    const details = outcome.restored
      ? { restoreRunId: outcome.restoreRunId, fromRunId: outcome.fromRunId, fromStartedAt: outcome.fromStartedAt }
      : { restoreRunId: outcome.restoreRunId, reason: outcome.reason };
    await tiers.bookkeeping.recordStep({ runId: ref.runId, step: 'restore', status: outcome.restored ? 'completed' : 'failed', details });
  } catch (error) {
    log.warn('Restore ledger or run record not written', { listKey: restoreRef.listKey, error: String(error) });
  }
}

/** The counts a finished list sync records about its restore (numbers only: run counts are numbers). */
export function restoreSummary(outcome: RestoreOutcome | undefined): Record<string, unknown> {
  if (!outcome) return {};
  if (!outcome.restored) return { restore: { restored: 0 } };
  return { restore: { restored: 1, verifiedCount: outcome.verifiedCount, rejected: outcome.rejected, suppressed: outcome.suppressed } };
}

/**
 * What a list sync that failed after its clear ends with: `ListRestoredError` (the list holds the
 * last good recipients minus the suppressed; never ready) or `ListIncompleteError` (nothing could be
 * restored). Both fail the workflow, so the daily run, schedules and alerts see it; the cause is kept.
 */
export function afterClearFailure(listKey: string, cause: unknown, outcome: RestoreOutcome): ApplicationFailure {
  const why = rootMessage(cause);
  if (outcome.restored) {
    const suppressed = Object.values(outcome.suppressed).reduce((a, b) => a + b, 0);
    return ApplicationFailure.create({
      type: LIST_RESTORED,
      nonRetryable: true,
      message:
        `List ${listKey} failed after its clear and was RESTORED from the last good run ${outcome.fromRunId} (started ${outcome.fromStartedAt}): ` +
        `${outcome.verifiedCount} recipients, ${suppressed} left out (suppressed since, excluded by an export of the run, or not in it); not ready. Cause: ${why}`,
      details: [
        {
          restoreRunId: outcome.restoreRunId,
          fromRunId: outcome.fromRunId,
          verifiedCount: outcome.verifiedCount,
          suppressed: outcome.suppressed,
        },
      ],
      cause: cause instanceof Error ? cause : undefined,
    });
  }
  return ApplicationFailure.create({
    type: LIST_INCOMPLETE,
    nonRetryable: true,
    message: `List ${listKey} failed after its clear and is LEFT INCOMPLETE, not restored: ${outcome.reason}. Cause: ${why}`,
    details: [{ restoreRunId: outcome.restoreRunId, reason: outcome.reason }],
    cause: cause instanceof Error ? cause : undefined,
  });
}

/** The innermost message of a failure chain (an activity failure wraps the error that caused it). */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(error);
}
