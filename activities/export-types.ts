import type { AttributeChanges } from '../src/sync/attribute-guard';
import type { GuardBaseline } from '../src/sync/guard';
import type { ReexportCause } from '../src/sync/reexport-cause';
import type { Counts, RunRef } from './refs';

// JSON-plain references and counts only: every input and output lands in workflow histories.

export interface ExportListOutput {
  snapshotRef: string;
  count: number;
  checksum: string;
  rowsRead: number;
  excluded: Counts;
  /** Exported recipients with a sanitized attribute value (absent in runs recorded before sendability). */
  sanitizedRows?: number;
  /** Sanitized attribute values per CRM column; only columns with any. */
  sanitized?: Counts;
  /** The part of `excluded` the suppression ledger decided ("suppressed at export"), by reason. */
  suppressed?: Counts;
  /**
   * Of `count`, the recipients Optimizely's unsubscribe list held when asked before the clear (every
   * list, strategy clear): the refill would leave them out, so the guard measures
   * the shrink without them. Absent in runs exported before this check, and for reconcile.
   */
  optimizelyUnsubscribed?: number;
  /**
   * The mapped attribute values of the recipients kept, compared with the last good run's snapshot
   * (strategy refresh, during the export) or with the live list (reconcile, in its diff): counts per
   * attribute name, no value (src/sync/attribute-guard.ts). Absent on a refresh's first run and in
   * runs exported before the attribute guard.
   */
  attributeChanges?: AttributeChanges;
}

export interface EvaluateGuardInput extends RunRef {
  exported: ExportListOutput;
  /** Strategy reconcile: the diff's removals and the live list they are a share of. */
  removal?: { remove: number; liveCount: number };
  /**
   * Set when `exported` is the re-export after a late approval or a long pause: the export the run
   * went on with (the operator approved it, or the guard let it through). The re-export is guarded
   * against it (src/sync/guard-after-hold.ts), not against the last good run.
   */
  approved?: ExportListOutput;
  /**
   * With `approved`: why the list was exported again, named in the reasons operators read. Absent in
   * inputs scheduled before it was told: read as a late approval, as the reasons said then.
   */
  reexport?: ReexportCause;
  /**
   * Strategy reconcile, with `approved`: the removals of the diff the operator approved (`removal` is
   * then the fresh diff's). Absent in inputs scheduled before the fresh diff's removals were guarded.
   */
  approvedRemoval?: { remove: number; liveCount: number };
}

export interface GuardVerdict {
  hold: boolean;
  reasons: string[];
  lastGoodCount?: number;
  /** What the shrink was measured against: the last good run, or on a first run the live list before the clear. */
  baseline?: GuardBaseline;
  /** How long to wait for an operator before rejecting, in milliseconds. */
  approvalTimeoutMs: number;
  /** `guard.reexportAfter`: an approval given longer than this after the export re-exports before the clear (ms). */
  reexportAfterMs?: number;
}
