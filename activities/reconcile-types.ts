import type { AttributeChanges } from '../src/sync/attribute-guard';
import type { ExportListOutput } from './export-types';
import type { Counts, RunRef } from './refs';

// Strategy reconcile: JSON-plain references and counts only, every input and output lands in histories.

export interface DiffLiveListInput extends RunRef {
  /** The export's snapshot: the desired recipients. */
  snapshotRef: string;
}

/** The reconcile's diff: counts and claim-check references (src/reconcile/diff-live-list.ts). */
export interface ReconcileDiffOutput {
  add: number;
  remove: number;
  update: number;
  unchanged: number;
  repeated: number;
  liveCount: number;
  liveRead: number;
  addRef: string;
  updateRef: string;
  removeRef: string;
  /** Only from diffLiveList (histories from before the export and the read ran together); exportAndDiffLiveList hands it to the export. */
  attributeChanges?: AttributeChanges;
}

/** The export and the diff against the live list, read while the export ran. */
export interface ExportAndDiffOutput {
  exported: ExportListOutput;
  diff: ReconcileDiffOutput;
}

/** A chunk of removal or update batches of the reconcile: [firstBatch, endBatch) of `snapshotRef`. */
export interface ApplyReconcileInput extends RunRef {
  snapshotRef: string;
  firstBatch: number;
  endBatch: number;
}

export interface ApplyReconcileOutput {
  batchesDone: number;
  /** removeLeavers: removed, notOnList; updateChanged: updated. */
  counts: Counts;
}

export interface VerifyReconcileInput extends RunRef {
  expected: number;
  /** The export's snapshot, for a full read-back. */
  snapshotRef: string;
}

export interface VerifyReconcileOutput {
  count: number;
  matches: boolean;
  verifiedAt: string;
  /** Present when the list was read back in full (every `fullVerifyEveryDays`). */
  fullReadBack?: { missing: number; extra: number };
}
