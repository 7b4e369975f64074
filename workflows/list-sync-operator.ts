import { defineSignal, defineUpdate, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ListSyncPhase, ListSyncProgress } from './list-sync-state';
import {
  checkOperatorText,
  LIST_SIGNAL_PATCHES,
  handledSignal,
  printable,
  refuse,
  updateValidator,
  OPERATOR_FIELDS,
  type OperatorAnswer,
  type OperatorSignal,
} from './operator-messages';
import { LIST_DECISION_SIGNALS_CHECKED_PATCH } from './patches';
import { receivedSignal } from './received-signal';

// Operator messages of a list sync. Updates answer (accepted: what the run did; refused: why, and
// nothing changes); the signals of the same names stay handled as before, for older callers and for
// the histories that recorded them.

/**
 * An approve or reject may name the run it was meant for (a decision for an earlier run is stale) and
 * the hold of that run (`progress.hold`; a decision for an earlier hold of the run is stale).
 */
export interface DecisionMessage extends OperatorSignal {
  runId?: string;
  hold?: number;
}

/** The fields an approve or reject takes. */
const DECISION_FIELDS: readonly string[] = [...OPERATOR_FIELDS, 'runId', 'hold'];

export const pauseSignal = defineSignal<[OperatorSignal]>('pause');
export const resumeSignal = defineSignal<[OperatorSignal]>('resume');
export const approveSignal = defineSignal<[DecisionMessage]>('approve');
export const rejectSignal = defineSignal<[DecisionMessage]>('reject');

export const pauseUpdate = defineUpdate<OperatorAnswer, [OperatorSignal]>('pause');
export const resumeUpdate = defineUpdate<OperatorAnswer, [OperatorSignal]>('resume');
export const approveUpdate = defineUpdate<OperatorAnswer, [DecisionMessage]>('approve');
export const rejectUpdate = defineUpdate<OperatorAnswer, [DecisionMessage]>('reject');

/** The guard's decision, set once by an operator (or the approval timeout). */
export type Decision = { approved?: boolean; by?: string };

/** Where a pause can still take effect: a safe point lies ahead (before the clear, between refill chunks). */
const SAFE_POINT_AHEAD: Record<ListSyncPhase, string | undefined> = {
  starting: 'before the export',
  feedback: 'before the export',
  preflight: 'before the export',
  exporting: 'before the clear',
  guard: 'before the clear',
  held: 'before the clear (after a decision)',
  // Strategy reconcile: the list is never cleared, so a pause holds it complete.
  diffing: 'before the removals',
  removing: 'between reconcile chunks (the list stays complete)',
  adding: 'between reconcile chunks (the list stays complete)',
  updating: 'between reconcile chunks (the list stays complete)',
  clearing: 'before the first refill chunk (the list is cleared: it stays incomplete while paused)',
  refilling: 'between refill chunks (the list stays incomplete while paused)',
  verifying: undefined,
  recording: undefined,
  ready: undefined,
  rejected: undefined,
  skipped: undefined,
  failed: undefined,
  // The restore of a list that failed after its clear is not paused: it is what ends the incomplete window.
  restoring: undefined,
  restored: undefined,
};

/**
 * The safe point ahead of a run: by its phase, except that a run re-exporting after a long pause
 * between refill chunks (exporting, guard or held with the list cleared) stops before the next chunk,
 * and a run past the safe point before the clear (or a reconcile's first change) stops after it.
 */
function safePointAhead(progress: ListSyncProgress): string | undefined {
  // Past the safe point before the clear (the drift measured, a re-export): the phase still says guard.
  if (progress.pastSafePointBeforeChange) return progress.strategy === 'reconcile' ? SAFE_POINT_AHEAD.removing : SAFE_POINT_AHEAD.clearing;
  const ahead = SAFE_POINT_AHEAD[progress.phase];
  return ahead && progress.listIncomplete ? SAFE_POINT_AHEAD.refilling : ahead;
}

type RecordAction = (action: string, message: OperatorSignal) => Promise<void>;

/**
 * Registers the signal and Update handlers; call first in the workflow body. Each Update handler
 * builds its answer when it acts (phase and position as they were then), records, then answers.
 */
export function handleListOperatorMessages(progress: ListSyncProgress, decision: Decision, record: RecordAction): void {
  const answer = (action: string, did: string): OperatorAnswer => ({
    action,
    workflowId: workflowInfo().workflowId,
    phase: progress.phase,
    did,
  });
  const pause = (m: OperatorSignal) => Object.assign(progress, { paused: true, pausedBy: m.by, pauseReason: m.reason });
  const resume = () => Object.assign(progress, { paused: false, pausedBy: undefined, pauseReason: undefined });
  const decide = (approved: boolean, m: OperatorSignal) => Object.assign(decision, { approved, by: m.by });

  // Received undecoded (workflows/received-signal.ts): a payload that cannot be decoded is ignored, not a failed task.
  setHandler(receivedSignal(pauseSignal), async (...args) => {
    const handled = handledSignal<OperatorSignal>('pause', args, LIST_SIGNAL_PATCHES);
    if (!handled) return;
    const m = handled.message;
    pause(m);
    await record('pause', m);
  });
  setHandler(receivedSignal(resumeSignal), async (...args) => {
    const handled = handledSignal<OperatorSignal>('resume', args, LIST_SIGNAL_PATCHES);
    if (!handled) return;
    const m = handled.message;
    resume();
    await record('resume', m);
  });
  setHandler(receivedSignal(approveSignal), async (...args) => {
    const handled = handledSignal<DecisionMessage>('approve', args, LIST_SIGNAL_PATCHES);
    if (!handled) return;
    const m = handled.message;
    if (ignoredDecision('approve', progress, decision, m)) return;
    if (progress.phase === 'held') decide(true, m);
    await record('approve', m);
  });
  setHandler(receivedSignal(rejectSignal), async (...args) => {
    const handled = handledSignal<DecisionMessage>('reject', args, LIST_SIGNAL_PATCHES);
    if (!handled) return;
    const m = handled.message;
    if (ignoredDecision('reject', progress, decision, m)) return;
    if (progress.phase === 'held') decide(false, m);
    await record('reject', m);
  });

  setHandler(
    pauseUpdate,
    async (m) => {
      const reply = answer('pause', `paused: stops at the next safe point, ${safePointAhead(progress) as string}`);
      pause(m);
      await record('pause', m);
      return reply;
    },
    { validator: updateValidator((m: OperatorSignal) => validatePause(progress, m)) },
  );
  setHandler(
    resumeUpdate,
    async (m) => {
      const reply = answer('resume', `resumed: continues ${progress.phase}`);
      resume();
      await record('resume', m);
      return reply;
    },
    { validator: updateValidator((m: OperatorSignal) => validateResume(progress, m)) },
  );
  setHandler(
    approveUpdate,
    async (m) => {
      // Held again mid-refill (the re-export after a long pause): the list is cleared already.
      const reply = answer(
        'approve',
        progress.listIncomplete ? 'approved: refills the rest the re-export holds' : 'approved: clears the list and refills it',
      );
      decide(true, m);
      await record('approve', m);
      return reply;
    },
    { validator: updateValidator((m: DecisionMessage) => validateDecision(progress, decision, m, true)) },
  );
  setHandler(
    rejectUpdate,
    async (m) => {
      const reply = answer('reject', 'rejected: ends the run, the list stays as it is');
      decide(false, m);
      await record('reject', m);
      return reply;
    },
    { validator: updateValidator((m: DecisionMessage) => validateDecision(progress, decision, m, false)) },
  );
}

export function validatePause(progress: ListSyncProgress, message: OperatorSignal): void {
  checkOperatorText(message);
  if (progress.paused) refuse(`already paused by ${printable(progress.pausedBy)}`);
  if (!safePointAhead(progress)) refuse(`past its last safe point (phase ${progress.phase}): nothing left to pause`);
}

export function validateResume(progress: ListSyncProgress, message: OperatorSignal): void {
  checkOperatorText(message);
  if (!progress.paused) refuse(`not paused (phase ${progress.phase})`);
}

export function validateDecision(progress: ListSyncProgress, decision: Decision, message: DecisionMessage, approve = true): void {
  checkOperatorText(message, DECISION_FIELDS);
  const problem = decisionProblem(progress, decision, message, workflowInfo().runId) ?? holdProblem(progress, message, approve);
  if (problem) refuse(problem);
}

/**
 * Why a decision is not bound to the hold the run is in, or undefined. A held run that is approved
 * late exports again and may be held again (a larger exclusion, a deeper shrink): the decision is
 * reset, and before this check a second approve meant for the first hold (a colleague's, a retried
 * script's, one typed after reading an older status) released the second one, which nobody had read.
 * So a decision naming a hold must name the current one, and an approve of any hold after the first
 * must name it. A reject needs no hold: it leaves the list as it is. Updates only: the signals of the
 * same names keep their checks as recorded histories replay them.
 */
export function holdProblem(progress: ListSyncProgress, message: DecisionMessage, approve: boolean): string | undefined {
  const current = progress.hold ?? 1;
  const named = message.hold;
  const how = `read its reasons in status, then decide with --hold ${current}`;
  if (named === undefined)
    return approve && current > 1
      ? `held again after exporting again (hold ${current} of this run): an approval must name the hold it was given on, so that one meant for an earlier hold cannot release this one; ${how}`
      : undefined;
  if (!Number.isSafeInteger(named) || named < 1)
    return `hold must be the number of a hold of this run (a whole number from 1), not ${printable(named)}`;
  if (named !== current) return `stale decision: it was meant for hold ${named} of this run, which is at hold ${current} now; ${how}`;
  return undefined;
}

/**
 * Why an approve or reject decides nothing in this run, or undefined when it decides: it names
 * another run (a decision for an earlier run is stale), the guard's decision is already made (by an
 * operator or the approval timeout; the run still reads `held` while it sends the hold's resolved
 * notice), or the run is not held. The Update's validator refuses on it; a signal is ignored on it.
 */
export function decisionProblem(progress: ListSyncProgress, decision: Decision, message: unknown, runId: string): string | undefined {
  const meantFor = typeof message === 'object' && message !== null ? (message as DecisionMessage).runId : undefined;
  if (meantFor !== undefined && meantFor !== runId)
    return `stale decision: it was meant for run ${printable(meantFor)}, this is run ${runId}`;
  if (decision.approved !== undefined) return `already ${decision.approved ? 'approved' : 'rejected'} by ${printable(decision.by)}`;
  if (progress.phase !== 'held') return `not held for a decision (phase ${progress.phase})`;
  return undefined;
}

/**
 * True when a decision signal is to be ignored: the Update of the same message would be refused
 * (decisionProblem). Before this check a reject followed by an approve (or a replayed approval of a
 * run an operator rejected) turned the decision around while the run still read `held`, and an
 * approval meant for an earlier run approved the current one. The patch is asked only for a signal
 * with a problem, so histories of signals that decided stay unchanged; runs that acted on such a
 * signal replay as they ran.
 */
function ignoredDecision(signal: string, progress: ListSyncProgress, decision: Decision, message: unknown): boolean {
  const problem = decisionProblem(progress, decision, message, workflowInfo().runId);
  if (problem === undefined || !patched(LIST_DECISION_SIGNALS_CHECKED_PATCH)) return false;
  log.warn('Operator signal ignored', { signal, problem });
  return true;
}
