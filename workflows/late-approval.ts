import { log } from '@temporalio/workflow';
import type { ExportListOutput } from '../activities/export-types';
import type { Decision } from './list-sync-operator';

/** A run the guard held, once decided: who decided, and the list's `guard.reexportAfter` (ms; absent in older histories). */
export interface Hold {
  by?: string;
  reexportAfterMs?: number;
}

export interface LateApprovalSteps {
  /** The list's export again, into a new snapshot of the same run (its exclusions recorded afresh). */
  exportAgain(): Promise<ExportListOutput>;
  /** The guard of a re-export against the approved export; held again until a new decision when it says so. */
  guardAgain(fresh: ExportListOutput, approved: ExportListOutput): Promise<Hold | undefined>;
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
): Promise<{ exported: ExportListOutput; decidedBy?: string }> {
  let { exported, exportedAt, hold } = held;
  let decidedBy = hold.by;
  while (decision.approved && isLate(hold, exportedAt) && newBranch()) {
    log.info('Approved later than guard.reexportAfter after the export: exporting again before the clear', {
      heldForMs: Date.now() - exportedAt,
    });
    const approvedBy = decision.by;
    const fresh = await steps.exportAgain();
    exportedAt = Date.now();
    // A new decision is needed only if the re-export is held: until then nobody can decide (not held).
    Object.assign(decision, { approved: undefined, by: undefined });
    const again = await steps.guardAgain(fresh, exported);
    exported = fresh;
    if (!again) {
      Object.assign(decision, { approved: true, by: approvedBy });
      break;
    }
    hold = again;
    decidedBy = again.by;
  }
  return { exported, decidedBy };
}

function isLate(hold: Hold, exportedAt: number): boolean {
  return hold.reexportAfterMs !== undefined && Date.now() - exportedAt > hold.reexportAfterMs;
}
