import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  defineQuery,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { ExportListOutput } from '../activities/export-types';
import type { ReconcileDiffOutput } from '../activities/reconcile-types';
import type { ListDrift } from '../src/sync/drift';
import type { ReexportCause } from '../src/sync/reexport-cause';
import { acceptedCount, initialProgress, type ListSyncPhase, type ListSyncProgress } from './list-sync-state';
import { handleListOperatorMessages, type Decision } from './list-sync-operator';
import type { OperatorSignal } from './operator-messages';
import {
  ALERTS_LIST_SYNC_PATCH,
  DRIFT_PATCH,
  FINISH_AFTER_CLEAR_PATCH,
  FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH,
  LEDGER_AFTER_VERIFY_PATCH,
  PREFLIGHT_PATCH,
  RECONCILE_FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH,
  RECONCILE_PATCH,
  RECONCILE_READ_BESIDE_EXPORT_PATCH,
  REEXPORT_AFTER_LONG_PAUSE_PATCH,
  SAFE_POINT_AFTER_REEXPORT_PATCH,
  RESTORE_PATCH,
} from './patches';
import {
  exportAgainIfApprovedLate,
  exportAndGuardAgain,
  reexportDueAfterPause,
  type Exported,
  type Hold,
  type LateApprovalSteps,
} from './late-approval';
import { applyDiff, diffAgainstLive, exportAndDiff, recordDiff } from './reconcile-list';
import { refillSnapshot } from './refill-loop';
import { afterClearFailure, restoreLastGood, restoreSummary, type RestoreOutcome } from './restore-list';
import { bookkeeping } from './activity-tiers';
import { notify } from './notify';
import { PERMANENT_ERROR_TYPES } from './retry-contract';
import { CLIENT_KEY, LIST_KEY, SYNC_PHASE } from './search-attributes';
import { REEXPORT_REJECTED, VERIFY_MISMATCH } from './failure-types';

// --- Activity tiers ---
const nonRetryableErrorTypes = [...PERMANENT_ERROR_TYPES];

// Bookkeeping (state store reads and writes): workflows/activity-tiers.ts.
// Every heartbeated activity beats at least every second (activities/keepalive.ts) and the worker sends
// a heartbeat every 5 s at most, so 30 s without one means the worker is gone: retry elsewhere.
const HEARTBEAT_TIMEOUT = '30 seconds';
// Before the clear a failure is harmless, so give up after a bounded number of tries and alert.
const beforeClearOptions: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumInterval: '2 minutes', maximumAttempts: 10, nonRetryableErrorTypes },
};
// After the clear the list is incomplete: keep retrying transient faults until it is refilled.
const afterClearOptions: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes },
};
// The clear itself is one SOAP call; bounded so a permanently failing clear fails the run visibly. It
// heartbeats while the call runs, so a worker that dies during it is noticed in 30 s, not 5 minutes.
const clearOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes },
};
// The sent ledger after the verify (or after a failure): the after-clear tier, but bounded, since
// the list no longer waits for it.
const recordingOptions: ActivityOptions = { ...afterClearOptions, retry: { ...afterClearOptions.retry, maximumAttempts: 10 } };
type Activities = ReturnType<typeof proxyActivities<SyncActivities>>;
type Tiers = { beforeClear: Activities; clearing: Activities; afterClear: Activities; recording: Activities };
// One proxy per tier, for every run. Tests that need a killed worker noticed in seconds shorten the
// heartbeat timeouts with a test-only workflow interceptor (test/helpers/short-heartbeats-interceptor.ts).
const TIERS: Tiers = {
  beforeClear: proxyActivities<SyncActivities>(beforeClearOptions),
  clearing: proxyActivities<SyncActivities>(clearOptions),
  afterClear: proxyActivities<SyncActivities>(afterClearOptions),
  recording: proxyActivities<SyncActivities>(recordingOptions),
};

// --- Messages ---
// Operator signals and Updates live in list-sync-operator.ts; re-exported for the daily run and clients.
export {
  approveSignal,
  approveUpdate,
  pauseSignal,
  pauseUpdate,
  rejectSignal,
  rejectUpdate,
  resumeSignal,
  resumeUpdate,
} from './list-sync-operator';
export type { OperatorSignal } from './operator-messages';
export const progressQuery = defineQuery<ListSyncProgress>('progress');

// --- Workflow ---
/** Input of {@link listSyncWorkflow}. */
export interface ListSyncWorkflowInput {
  client: string;
  listKey: string;
  /** Set by the daily run, which imported feedback just before; a list sync alone checks freshness. */
  feedbackImported?: boolean;
  /** Batches of 1000 per refill activity; tests lower it to exercise chunking. */
  batchesPerActivity?: number;
  // Histories recorded before it was removed may still carry `testHeartbeatTimeout`: it is ignored.
}

export interface ListSyncWorkflowOutput {
  listKey: string;
  status: 'ready' | 'rejected' | 'skipped';
  progress: ListSyncProgress;
  verifiedCount?: number;
  windowSeconds?: number;
  decidedBy?: string;
}

/** Export, guard, clear, refill, verify for one synchronised list; its id is the list's lock. */
export async function listSyncWorkflow(input: ListSyncWorkflowInput): Promise<ListSyncWorkflowOutput> {
  const progress = initialProgress(input.client, input.listKey);
  const decision: Decision = {};
  const runId = workflowInfo().runId;
  const ref = { client: input.client, listKey: input.listKey, runId };
  const record = (action: string, signal: OperatorSignal) =>
    // Only who and why travel on: a message's other fields are the sender's, not to be trusted.
    bookkeeping.recordOperatorAction({ client: input.client, listKey: input.listKey, runId, action, by: signal.by, reason: signal.reason });

  setHandler(progressQuery, () => progress);
  handleListOperatorMessages(progress, decision, record);

  upsertSearchAttributes([
    { key: CLIENT_KEY, value: input.client },
    { key: LIST_KEY, value: input.listKey },
  ]);
  await bookkeeping.startRun({ ...ref, kind: 'list', workflowId: workflowInfo().workflowId });
  const tiers = TIERS;
  const ledger = { deferred: false };
  try {
    const output = await syncList(input, progress, decision, ref, tiers, ledger);
    const finish = async () => {
      await condition(allHandlersFinished);
      await bookkeeping.finishRun({ runId, status: output.status, summary: summaryOf(output) });
    };
    // A list refilled despite a cancellation request is recorded and reported ready, not cancelled.
    if (output.status === 'ready' && patched(FINISH_AFTER_CLEAR_PATCH)) await CancellationScope.nonCancellable(finish);
    else await finish();
    // A ready list clears an earlier failed or restored incident (nothing is sent when there was none).
    if (output.status === 'ready' && patched(ALERTS_LIST_SYNC_PATCH)) await notify({ ...ref, kind: 'list-not-ready', state: 'resolved' });
    return output;
  } catch (error) {
    const afterClear = progress.listIncomplete;
    enterPhase(progress, 'failed');
    const restored = await CancellationScope.nonCancellable(async () => {
      // Batches sent before the failure are in Optimizely: their recipients belong in the ledger.
      if (ledger.deferred) await recordLedgerAfterFailure(tiers, ref);
      // Histories from before this patch end failed with the list as the failure left it.
      const outcome = afterClear && patched(RESTORE_PATCH) ? await restoreAfterClear(input, progress, ref, tiers) : undefined;
      const summary = {
        phase: progress.phase,
        listIncomplete: progress.listIncomplete,
        ...(isCancellation(error) ? { cancelled: true } : {}),
        ...restoreSummary(outcome),
      };
      await bookkeeping.finishRun({ runId, status: outcome?.restored ? 'restored' : 'failed', summary });
      // A cancellation before the clear left the list as it was: no incident.
      const incident = afterClear || !isCancellation(error);
      if (incident && patched(ALERTS_LIST_SYNC_PATCH))
        await notify({ ...ref, kind: 'list-not-ready', state: 'open', status: outcome?.restored ? 'restored' : 'failed' });
      return outcome;
    });
    throw restored ? afterClearFailure(ref.listKey, error, restored) : error;
  }
}

// --- Helpers ---
type Ref = { client: string; listKey: string; runId: string };

async function syncList(
  input: ListSyncWorkflowInput,
  progress: ListSyncProgress,
  decision: Decision,
  ref: Ref,
  tiers: Tiers,
  ledger: { deferred: boolean },
): Promise<ListSyncWorkflowOutput> {
  const { beforeClear } = tiers;
  const control = await bookkeeping.readListControl(ref);
  if (control.paused) {
    enterPhase(progress, 'skipped');
    return { listKey: ref.listKey, status: 'skipped', progress, decidedBy: control.pausedBy };
  }
  if (!input.feedbackImported) await importFeedbackIfStale(progress, ref, beforeClear);
  await safePoint(progress);
  if (patched(PREFLIGHT_PATCH)) {
    enterPhase(progress, 'preflight');
    await beforeClear.preflightList(ref);
  }
  enterPhase(progress, 'exporting');
  // Strategy reconcile reads the live list while the export runs (histories from before this patch
  // export first and then read; histories from before the reconcile patch never reconcile).
  if (control.strategy === 'reconcile' && patched(RECONCILE_READ_BESIDE_EXPORT_PATCH)) {
    const both = await exportAndDiff(ref);
    const exportedAt = Date.now();
    recordExport(progress, both.exported);
    recordDiff(progress, both.diff);
    return reconcile(input, progress, decision, ref, { exported: both.exported, exportedAt }, ledger, both.diff);
  }
  const firstExport = await beforeClear.exportList(ref);
  const exportedAt = Date.now();
  recordExport(progress, firstExport);
  // Strategy reconcile (histories from before this patch never took it): no clear, the diff applied.
  if (control.strategy === 'reconcile' && patched(RECONCILE_PATCH))
    return reconcile(input, progress, decision, ref, { exported: firstExport, exportedAt }, ledger);
  const threshold: Threshold = {};
  const hold = await guard(progress, decision, ref, firstExport, undefined, undefined, threshold);
  // An approval long after the export: export and guard again before the clear (late-approval.ts).
  const approved: Exported = hold
    ? await exportAgainIfApprovedLate(
        lateApprovalSteps(progress, decision, ref),
        decision,
        { exported: firstExport, exportedAt, hold },
        () => patched(FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH),
      )
    : { exported: firstExport, exportedAt };
  if (approved.decidedBy && !decision.approved) {
    enterPhase(progress, 'rejected');
    return { listKey: ref.listKey, status: 'rejected', progress, decidedBy: approved.decidedBy };
  }
  // A long pause before the clear: export and guard again, as after a late approval.
  const steps = lateApprovalSteps(progress, decision, ref);
  const sending = await exportAgainAfterLongPause(progress, decision, steps, approved, threshold);
  const { exported, decidedBy } = sending;
  if (decidedBy && !decision.approved) {
    enterPhase(progress, 'rejected');
    return { listKey: ref.listKey, status: 'rejected', progress, decidedBy };
  }
  if (patched(DRIFT_PATCH)) progress.drift = await measureDrift(ref, tiers.beforeClear);
  // From the clear on the list is incomplete: a cancellation (an operator, or a daily run that was
  // terminated or cancelled) must not stop the refill halfway, so the rest runs shielded from it.
  const shielded = patched(FINISH_AFTER_CLEAR_PATCH);
  // Between refill chunks a long pause exports again: the rest is sent only to whom the re-export still holds.
  const beforeChunk = fresherAfterLongPause(progress, decision, steps, sending, threshold);
  const afterClearing = () => clearRefillVerify(input, progress, ref, exported, tiers, ledger, beforeChunk);
  const verified = shielded ? await CancellationScope.nonCancellable(afterClearing) : await afterClearing();
  return { listKey: ref.listKey, status: 'ready', progress, ...verified, decidedBy };
}

function recordExport(progress: ListSyncProgress, exported: ExportListOutput): void {
  Object.assign(progress, {
    rowsRead: exported.rowsRead,
    exported: exported.count,
    excluded: exported.excluded,
    sanitized: exported.sanitized ?? {},
    suppressed: exported.suppressed ?? {},
  });
}

/**
 * Strategy reconcile after the export: read the live list and diff it, unless that ran beside the export
 * (nothing changes yet), then the guard
 * (which also holds a diff that removes more than maxRemovePercent of the live list), the drift, then
 * removals, additions, updates and the verify. The list is never cleared: a failure at any step
 * leaves it complete and no worse than yesterday, so there is nothing to restore (window 0).
 */
async function reconcile(
  input: ListSyncWorkflowInput,
  progress: ListSyncProgress,
  decision: Decision,
  ref: Ref,
  first: { exported: ExportListOutput; exportedAt: number },
  ledger: { deferred: boolean },
  diffedBesideExport?: ReconcileDiffOutput,
): Promise<ListSyncWorkflowOutput> {
  let diff = diffedBesideExport;
  if (!diff) {
    enterPhase(progress, 'diffing');
    diff = await diffAgainstLive(ref, progress, first.exported.snapshotRef);
  }
  const current = { diff };
  const threshold: Threshold = {};
  const hold = await guard(progress, decision, ref, first.exported, removalOf(diff), undefined, threshold);
  // An approval long after the export: a stale diff would add joiners who withdrew in the CRM since and
  // keep leavers who did, so export, read and diff again and guard that first, its removals too (late-approval.ts).
  const approved: Exported = hold
    ? await exportAgainIfApprovedLate(reconcileLateApprovalSteps(progress, decision, ref, current), decision, { ...first, hold }, () =>
        patched(RECONCILE_FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH),
      )
    : first;
  if (approved.decidedBy && !decision.approved) {
    enterPhase(progress, 'rejected');
    return { listKey: ref.listKey, status: 'rejected', progress, decidedBy: approved.decidedBy };
  }
  // A long pause before any change: export, read and diff again, and guard that, as after a late approval.
  const reDiff = reconcileLateApprovalSteps(progress, decision, ref, current);
  const sending = await exportAgainAfterLongPause(progress, decision, reDiff, approved, threshold);
  const { exported, decidedBy } = sending;
  diff = current.diff;
  if (decidedBy && !decision.approved) {
    enterPhase(progress, 'rejected');
    return { listKey: ref.listKey, status: 'rejected', progress, decidedBy };
  }
  progress.drift = await measureDrift(ref, TIERS.beforeClear);
  // Joiners go in through the refill's sent batches: a failure after some went in ledgers them too.
  ledger.deferred = true;
  const verified = await applyDiff({
    ref,
    progress,
    diff,
    snapshotRef: exported.snapshotRef,
    batchesPerActivity: input.batchesPerActivity ?? 100,
    enterPhase: (phase) => enterPhase(progress, phase),
    // Between chunks a long pause exports (and diffs) again: joiners the re-export no longer holds are not added.
    beforeChunk: fresherAfterLongPause(
      progress,
      decision,
      reconcileLateApprovalSteps(progress, decision, ref, { diff }, false),
      sending,
      threshold,
    ),
  });
  enterPhase(progress, 'ready');
  return { listKey: ref.listKey, status: 'ready', progress, ...verified, decidedBy };
}

/** Clear, refill, verify, and the sent ledger: the list's window and what closes it. */
async function clearRefillVerify(
  input: ListSyncWorkflowInput,
  progress: ListSyncProgress,
  ref: Ref,
  exported: ExportListOutput,
  tiers: Tiers,
  ledger: { deferred: boolean },
  beforeChunk: ChunkGate,
): Promise<{ verifiedCount: number; windowSeconds: number }> {
  const { clearing, afterClear, recording } = tiers;
  enterPhase(progress, 'clearing');
  progress.listIncomplete = true;
  const cleared = await clearing.clearList(ref);
  // The list may be empty from the first clear attempt on, not from the one that succeeded.
  const windowStart = cleared.firstAttemptAt ?? cleared.clearedAt;
  // Since this patch the refill records one row of result codes per batch and the per-recipient sent
  // ledger is written after the verify; histories from before it keep writing it during the refill.
  ledger.deferred = patched(LEDGER_AFTER_VERIFY_PATCH);
  await refill(input, progress, ref, exported, afterClear, ledger.deferred, beforeChunk);
  enterPhase(progress, 'verifying');
  const expected = acceptedCount(progress.resultCodes);
  const verified = await afterClear.verifyList({ ...ref, expected });
  if (!verified.matches) {
    throw ApplicationFailure.nonRetryable(
      `List ${ref.listKey} holds ${verified.count} recipients after the refill, expected ${expected}`,
      VERIFY_MISMATCH,
    );
  }
  progress.listIncomplete = false;
  if (ledger.deferred) {
    // The list is complete in Optimizely; what remains is the run's own record of who was sent.
    enterPhase(progress, 'recording');
    await recording.recordSentLedger(ref);
  }
  enterPhase(progress, 'ready');
  return { verifiedCount: verified.count, windowSeconds: (Date.parse(verified.verifiedAt) - Date.parse(windowStart)) / 1000 };
}

/** The list sync failed after its clear: refill the last good list minus the suppressed (workflows/restore-list.ts). */
async function restoreAfterClear(
  input: ListSyncWorkflowInput,
  progress: ListSyncProgress,
  ref: Ref,
  tiers: Tiers,
): Promise<RestoreOutcome> {
  enterPhase(progress, 'restoring');
  log.error('List sync failed after its clear; restoring the last good list', { listKey: ref.listKey });
  const outcome = await restoreLastGood(ref, { ...tiers, bookkeeping }, input.batchesPerActivity ?? 100);
  if (outcome.restored) progress.listIncomplete = false;
  enterPhase(progress, outcome.restored ? 'restored' : 'failed');
  return outcome;
}

/** Best effort: the run fails anyway, with its own error; a ledger failure is only logged. */
async function recordLedgerAfterFailure(tiers: Tiers, ref: Ref): Promise<void> {
  try {
    await tiers.recording.recordSentLedger(ref);
  } catch (error) {
    log.warn('Sent ledger of a failed list sync not recorded', { listKey: ref.listKey, error: String(error) });
  }
}

/** The drift is a report, not a precondition: a count that cannot be had does not stop the sync. */
async function measureDrift(ref: Ref, beforeClear: Tiers['beforeClear']): Promise<ListDrift | undefined> {
  try {
    return await beforeClear.measureDrift(ref);
  } catch (error) {
    if (isCancellation(error)) throw error;
    log.warn('Drift not measured', { listKey: ref.listKey, error: String(error) });
    return undefined;
  }
}

async function importFeedbackIfStale(progress: ListSyncProgress, ref: Ref, beforeClear: Tiers['beforeClear']): Promise<void> {
  enterPhase(progress, 'feedback');
  // A re-run on its own must not re-add someone who unsubscribed since the last daily import.
  const freshness = await bookkeeping.checkFeedbackFreshness({ client: ref.client, maxAgeMinutes: 60 });
  if (!freshness.fresh) await beforeClear.importFeedback({ client: ref.client, runId: ref.runId });
}

type Removal = { remove: number; liveCount: number };
/** What a reconcile's diff removes, and the live list it is a share of (what the guard measures). */
const removalOf = (diff: ReconcileDiffOutput): Removal => ({ remove: diff.remove, liveCount: diff.liveRead });
/** The export a re-export is guarded against (for a reconcile with its diff's removals), and why the list was exported again. */
type Approved = { exported: ExportListOutput; removal?: Removal; after: ReexportCause };

/** Holds the run for an operator when the guard says so; returns who decided, if anyone had to. */
async function guard(
  progress: ListSyncProgress,
  decision: Decision,
  ref: Ref,
  exported: ExportListOutput,
  removal?: Removal,
  approved?: Approved,
  threshold?: Threshold,
): Promise<Hold | undefined> {
  enterPhase(progress, 'guard');
  const verdict = await bookkeeping.evaluateGuard({
    ...ref,
    exported,
    ...(removal ? { removal } : {}),
    ...(approved ? { approved: approved.exported } : {}),
    ...(approved?.removal ? { approvedRemoval: approved.removal } : {}),
    ...(approved ? { reexport: approved.after } : {}),
  });
  progress.guardReasons = verdict.reasons;
  if (threshold) threshold.reexportAfterMs = verdict.reexportAfterMs;
  if (!verdict.hold) return undefined;
  // State only (no command): the number a decision names to be bound to this hold.
  progress.hold = (progress.hold ?? 0) + 1;
  enterPhase(progress, 'held');
  const alerts = patched(ALERTS_LIST_SYNC_PATCH);
  if (alerts) await notify({ ...ref, kind: 'guard-hold', state: 'open', reasons: verdict.reasons });
  const decided = await condition(() => decision.approved !== undefined, verdict.approvalTimeoutMs);
  if (!decided) Object.assign(decision, { approved: false, by: 'timeout' });
  if (alerts) await notify({ ...ref, kind: 'guard-hold', state: 'resolved' });
  return { by: decision.by, reexportAfterMs: verdict.reexportAfterMs };
}

/**
 * The steps of a reconcile's re-export after a late approval: the export with the live list read and
 * diffed beside it (`current.diff` becomes the fresh diff), and the guard of the re-export against the
 * approved one, as a refresh's, and of the fresh diff's removals: the export's shrink does not bound
 * them, since recipients added at Optimizely by hand during the hold are leavers the export never had.
 */
function reconcileLateApprovalSteps(
  progress: ListSyncProgress,
  decision: Decision,
  ref: Ref,
  current: { diff: ReconcileDiffOutput },
  applies = true,
): LateApprovalSteps {
  // The diff of the export the operator approved: the first one, then each re-export held and approved.
  let approvedDiff = current.diff;
  return {
    async exportAgain() {
      enterPhase(progress, 'exporting');
      const both = await exportAndDiff(ref);
      recordExport(progress, both.exported);
      // Between chunks the diff being applied stays in the progress: the fresh one is only guarded.
      if (applies) recordDiff(progress, both.diff);
      approvedDiff = current.diff;
      current.diff = both.diff;
      return both.exported;
    },
    guardAgain: (fresh, approved, after) =>
      guardAgainKeepingReasons(
        progress,
        decision,
        ref,
        fresh,
        { exported: approved, removal: removalOf(approvedDiff), after },
        removalOf(current.diff),
      ),
  };
}

/** The guard of a re-export against the approved one; let through, the run still reports what the operator approved it for. */
async function guardAgainKeepingReasons(
  progress: ListSyncProgress,
  decision: Decision,
  ref: Ref,
  fresh: ExportListOutput,
  approved: Approved,
  removal?: Removal,
): Promise<Hold | undefined> {
  const approvedReasons = progress.guardReasons;
  const held = await guard(progress, decision, ref, fresh, removal, approved);
  if (!held) progress.guardReasons = approvedReasons;
  return held;
}

/** The steps of a re-export after a late approval: the export and the guard of a refresh run, as before the first hold. */
function lateApprovalSteps(progress: ListSyncProgress, decision: Decision, ref: Ref): LateApprovalSteps {
  return {
    async exportAgain() {
      enterPhase(progress, 'exporting');
      const fresh = await TIERS.beforeClear.exportList(ref);
      recordExport(progress, fresh);
      return fresh;
    },
    guardAgain: (fresh, approved, after) => guardAgainKeepingReasons(progress, decision, ref, fresh, { exported: approved, after }),
  };
}

async function refill(
  input: ListSyncWorkflowInput,
  progress: ListSyncProgress,
  ref: Ref,
  exported: ExportListOutput,
  afterClear: Tiers['afterClear'],
  deferLedger: boolean,
  beforeChunk: ChunkGate,
): Promise<void> {
  enterPhase(progress, 'refilling');
  await refillSnapshot({
    activities: afterClear,
    ref,
    snapshot: exported,
    batchesPerActivity: input.batchesPerActivity ?? 100,
    deferLedger,
    tally: progress,
    beforeChunk,
  });
}

/** A pause takes effect here: before the clear, or between refill chunks. Returns how long it waited (ms), if it did. */
async function safePoint(progress: ListSyncProgress): Promise<number | undefined> {
  if (!progress.paused) return undefined;
  const stoppedAt = Date.now();
  // Shown by the progress query only (no command): an operator (or a test) sees the run has stopped.
  progress.stoppedAt = new Date(stoppedAt).toISOString();
  await condition(() => !progress.paused);
  delete progress.stoppedAt;
  return Date.now() - stoppedAt;
}

/** The list's `guard.reexportAfter` (ms), as the guard's verdict gave it (absent in histories from before). */
type Threshold = { reexportAfterMs?: number };

/** Awaited before each chunk: the pause point; answers the re-export the chunk's rows must still be in, if any. */
type ChunkGate = () => Promise<string | undefined>;

/**
 * The safe point before the clear (refresh) or before any change (reconcile): a pause after which the
 * export is older than `guard.reexportAfter` exports (for reconcile: reads and diffs) again and guards
 * that against the export the run was let through with, with the late approval's own steps
 * (late-approval.ts), so a consent withdrawn in the CRM during the pause is not sent. Held, it waits
 * for a decision; `decision.approved` false: rejected (nothing was changed).
 */
async function exportAgainAfterLongPause(
  progress: ListSyncProgress,
  decision: Decision,
  steps: LateApprovalSteps,
  exported: Exported,
  threshold: Threshold,
): Promise<Exported> {
  let current = exported;
  for (;;) {
    const pausedMs = await safePoint(progress);
    // Query-only (no command): from here a pause stops after the clear (list-sync-operator.ts says so).
    progress.pastSafePointBeforeChange = true;
    if (pausedMs === undefined || !reexportDueAfterPause(true, threshold.reexportAfterMs, current.exportedAt, Date.now())) return current;
    if (!patched(REEXPORT_AFTER_LONG_PAUSE_PATCH)) return current;
    // A re-export can take long (a held one up to approvalTimeout): a pause asked meanwhile stops at this
    // safe point again, before the clear, rather than after it with the list empty. Runs from before
    // this patch went on to the clear.
    const stopsAgain = patched(SAFE_POINT_AFTER_REEXPORT_PATCH);
    if (stopsAgain) delete progress.pastSafePointBeforeChange;
    log.info('Resumed later than guard.reexportAfter after the export: exporting again before any change', {
      sinceExportMs: Date.now() - current.exportedAt,
    });
    current = await exportAndGuardAgain(steps, decision, current, () => patched(REEXPORT_AFTER_LONG_PAUSE_PATCH), {
      after: 'pause',
      pausedMs,
    });
    const rejected = current.decidedBy !== undefined && !decision.approved;
    if (!stopsAgain || rejected) return current;
  }
}

/**
 * The safe point between chunks (a refresh's refill after the clear, a reconcile's removals, joiners and
 * updates). A pause after which the export is older than `guard.reexportAfter` exports again and guards
 * it against the export being sent; the chunks after it send only the rows the re-export still holds
 * (the refill leaves the others out, `freshRef`): a consent withdrawn in the CRM during the pause is not
 * sent, and nothing is sent twice (the chunks go on where they were, from the same snapshot). The
 * re-export is held like any: while the list waits (incomplete, for a refresh) for a decision; a
 * rejection (or the approval timeout) fails the run, since neither export can be sent: a refresh then
 * restores the last good list, a reconcile leaves the list as far as it got (complete).
 */
function fresherAfterLongPause(
  progress: ListSyncProgress,
  decision: Decision,
  steps: LateApprovalSteps,
  sending: Exported,
  threshold: Threshold,
): ChunkGate {
  let current = sending;
  let freshRef: string | undefined;
  return async () => {
    const pausedMs = await safePoint(progress);
    if (
      pausedMs !== undefined &&
      reexportDueAfterPause(true, threshold.reexportAfterMs, current.exportedAt, Date.now()) &&
      patched(REEXPORT_AFTER_LONG_PAUSE_PATCH)
    ) {
      const phase = progress.phase;
      log.info('Resumed later than guard.reexportAfter after the export: exporting again before the next chunk', {
        sinceExportMs: Date.now() - current.exportedAt,
      });
      current = await exportAndGuardAgain(steps, decision, current, () => patched(REEXPORT_AFTER_LONG_PAUSE_PATCH), {
        after: 'pause',
        pausedMs,
      });
      if (current.decidedBy && !decision.approved)
        throw ApplicationFailure.nonRetryable(
          `The re-export of list ${progress.listKey} after a long pause was rejected by ${current.decidedBy}: nothing more is sent`,
          REEXPORT_REJECTED,
        );
      freshRef = current.exported.snapshotRef;
      enterPhase(progress, phase);
    }
    return freshRef;
  };
}

/** The phases between the safe point before any change and the change (a re-export runs them again). */
const BEFORE_CHANGE: ReadonlySet<ListSyncPhase> = new Set<ListSyncPhase>(['exporting', 'guard', 'held', 'diffing']);

function enterPhase(progress: ListSyncProgress, phase: ListSyncPhase): void {
  progress.phase = phase;
  if (!BEFORE_CHANGE.has(phase)) delete progress.pastSafePointBeforeChange;
  upsertSearchAttributes([{ key: SYNC_PHASE, value: phase }]);
}

function summaryOf(output: ListSyncWorkflowOutput): Record<string, unknown> {
  const { progress } = output;
  return {
    rowsRead: progress.rowsRead,
    exported: progress.exported,
    excluded: progress.excluded,
    sanitized: progress.sanitized,
    suppressed: progress.suppressed,
    unsubscribedAtRefill: progress.unsubscribedAtRefill,
    notInFreshExport: progress.notInFreshExport,
    sent: progress.sent,
    resultCodes: progress.resultCodes,
    rejected: progress.rejected,
    verifiedCount: output.verifiedCount,
    windowSeconds: output.windowSeconds,
    drift: progress.drift,
    reconcile: progress.reconcile,
    decidedBy: output.decidedBy,
  };
}
