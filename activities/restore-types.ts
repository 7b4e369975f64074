import type { PrepareRestoreResult } from '../src/sync/restore/prepare-restore';
import type { RunRef } from './refs';

// JSON-plain references and counts only: every input and output lands in workflow histories.

export interface PrepareRestoreInput extends RunRef {
  /** The restore's own run id (`<runId>:restore`): its snapshot, exclusions and sent ledger. */
  restoreRunId: string;
}

/** A restore plan (snapshot reference and counts) or why the list is left incomplete: what src/sync/restore builds. */
export type PrepareRestoreOutput = PrepareRestoreResult;
