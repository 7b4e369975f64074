import { log } from '@temporalio/workflow';
import type { ExportListOutput } from '../activities/export-types';
import type { ReexportCause } from '../src/sync/reexport-cause';
import type { Decision } from './list-sync-operator';

/** A run the guard held, once decided: who decided, and the list's `guard.reexportAfter` (ms; absent in older histories). */
export interface Hold {
  by?: string;
  reexportAfterMs?: number;
}

export interface LateApprovalSteps {
  /** The list's export again, into a new snapshot of the same run (its exclusions recorded afresh). */
  exportAgain(): Promise<ExportListOutput>;
  /**
   * The guard of a re-export against the approved export; held again until a new decision when it
   * says so. `after`: why it was exported again, named in the guard's reasons.
   */
  guardAgain(fresh: ExportListOutput, approved: ExportListOutput, after: ReexportCause): Promise<Hold | undefined>;
}

/** The cause of a re-export after a late approval (the reasons' wording from before causes were told). */
const AFTER_LATE_APPROVAL: ReexportCause = { after: 'late-approval' };

/** The export a run goes on with, when it was taken, and who let it through (if the guard held it). */
export interface Exported {
  exported: ExportListOutput;
  exportedAt: number;
  decidedBy?: string;
}

/**
 * A held run refills from its export's snapshot, and the hold may last up to `approvalTimeout` (12 h):
 * a consent withdrawn only in the CRM meanwhile would be sent (opt-outs at Optimizely and in the
 * suppression ledger are asked per batch; the CRM has no per-person read, only the selection). So an
 * approval given longer than `guard.reexportAfter` after the export exports the list again and
 * guards the re-export against the approved one before the clear; the refill then sends the fresh
 * snapshot. If that guard holds, the run waits for a new decision, and a late one exports again.
 * Returns the export to refill from and who let it through; `decision.approved` false: rejected.
 * `newBranch`: asks the strategy's own patch (a refresh's fresh-export-after-late-approval, a reconcile's
 * reconcile-fresh-export-after-late-approval), only once a late approval is seen, so the marker is written only then.
 */
export async function exportAgainIfApprovedLate(
  steps: LateApprovalSteps,
  decision: Decision,
  held: { exported: ExportListOutput; exportedAt: number; hold: Hold },
  newBranch: () => boolean,
): Promise<Exported> {
  const { exported, exportedAt, hold } = held;
  if (!(decision.approved && isLate(hold.reexportAfterMs, exportedAt, Date.now()) && newBranch()))
    return { exported, exportedAt, decidedBy: hold.by };
  log.info('Approved later than guard.reexportAfter after the export: exporting again before the clear', {
    heldForMs: Date.now() - exportedAt,
  });
  return exportAndGuardAgain(steps, decision, { exported, exportedAt, decidedBy: hold.by }, newBranch, AFTER_LATE_APPROVAL);
}

/**
 * The re-export itself, shared by a late approval and a long pause (workflows/list-sync.ts): export
 * again, guard the fresh export against the one the run goes on with, and while the guard holds it
 * and the new decision comes later than `guard.reexportAfter`, once more. The decision in effect
 * before is kept when the fresh export is let through; held, the operator's new one replaces it
 * (`decision.approved` false: rejected, `decidedBy` who). `newBranch` is asked before each further
 * late re-export, as `exportAgainIfApprovedLate` always did. `after`: why the first re-export is
 * taken (a late approval, or a pause of how long); each further one follows a late approval.
 */
export async function exportAndGuardAgain(
  steps: LateApprovalSteps,
  decision: Decision,
  current: Exported,
  newBranch: () => boolean,
  after: ReexportCause,
): Promise<Exported> {
  let { exported, decidedBy } = current;
  let cause = after;
  for (;;) {
    const before = { approved: decision.approved, by: decision.by };
    const fresh = await steps.exportAgain();
    const exportedAt = Date.now();
    // A new decision is needed only if the re-export is held: until then nobody can decide (not held).
    Object.assign(decision, { approved: undefined, by: undefined });
    const again = await steps.guardAgain(fresh, exported, cause);
    exported = fresh;
    if (!again) {
      Object.assign(decision, before);
      return { exported, exportedAt, decidedBy };
    }
    decidedBy = again.by;
    if (!(decision.approved && isLate(again.reexportAfterMs, exportedAt, Date.now()) && newBranch()))
      return { exported, exportedAt, decidedBy };
    log.info('Approved later than guard.reexportAfter after the re-export: exporting again', { heldForMs: Date.now() - exportedAt });
    cause = AFTER_LATE_APPROVAL;
  }
}

/**
 * Whether a run that was paused must export again before it sends anything more: the export it
 * would go on with is older than `guard.reexportAfter` (absent in histories from before: never). A
 * pause that lasted longer than the threshold always makes it so (the export came before the pause);
 * a shorter pause late in a long refill does too, since the export it sends from is as stale.
 */
export function reexportDueAfterPause(paused: boolean, reexportAfterMs: number | undefined, exportedAt: number, now: number): boolean {
  return paused && isLate(reexportAfterMs, exportedAt, now);
}

function isLate(reexportAfterMs: number | undefined, exportedAt: number, now: number): boolean {
  return reexportAfterMs !== undefined && now - exportedAt > reexportAfterMs;
}
