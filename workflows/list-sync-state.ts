import type { ListDrift } from '../src/sync/drift';
import type { Counts } from '../activities/refs';

/**
 * Where a list sync is. `clearing` through `verifying` are the clear-to-ready window; `recording`
 * comes after it (the list is complete; the sent ledger entries are being written).
 */
export type ListSyncPhase =
  | 'starting'
  | 'feedback'
  | 'preflight'
  | 'exporting'
  | 'guard'
  | 'held'
  /** Strategy reconcile: reading the live list and computing the diff (nothing changed yet). */
  | 'diffing'
  /** Strategy reconcile: removing leavers, adding joiners, updating the changed; the list stays complete. */
  | 'removing'
  | 'adding'
  | 'updating'
  | 'clearing'
  | 'refilling'
  | 'verifying'
  | 'recording'
  | 'ready'
  | 'rejected'
  | 'skipped'
  | 'failed'
  /** Failed after its clear; refilling the last good list minus the suppressed. */
  | 'restoring'
  /** Refilled from the last good list: complete, but not today's list; never ready. */
  | 'restored';

/** Strategy reconcile: the diff and what was applied of it (counts only). */
export interface ReconcileTally {
  add: number;
  remove: number;
  update: number;
  unchanged: number;
  /** Leavers Optimizely answered true for, and those it no longer held (both are off the list). */
  removed: number;
  notOnList: number;
  updated: number;
  /** Distinct ids the diff read from the live list. */
  liveRead: number;
}

/** What the `progress` query answers: counts and flags, never recipient data. */
export interface ListSyncProgress {
  client: string;
  listKey: string;
  phase: ListSyncPhase;
  /** True between the clear and a verified refill: the list is incomplete in Optimizely. */
  listIncomplete: boolean;
  paused: boolean;
  pausedBy?: string;
  pauseReason?: string;
  /**
   * While paused: when the run stopped at its safe point (workflow time, ISO 8601). Absent while a
   * pause is asked but the step before the safe point still runs: until then the run has not stopped,
   * and a resume before it changes nothing (the run goes on as if never paused).
   */
  stoppedAt?: string;
  /**
   * Set from the safe point before the clear (reconcile: before its first change) until the run enters
   * a phase that changes the list: a pause asked meanwhile (the drift measured, a re-export after a
   * long pause) stops at the next safe point after the clear, not before it, whatever the phase says.
   */
  pastSafePointBeforeChange?: true;
  guardReasons: string[];
  /**
   * Which hold of this run the guard holds (1 the first; each re-export held again counts one more).
   * An approve or reject may name it, and an approve must from the second on: a repeated or late
   * approval of an earlier hold cannot release a later one nobody has read (list-sync-operator.ts).
   */
  hold?: number;
  /** Rows the CRM selection returned: exported + the sum of excluded. */
  rowsRead?: number;
  exported?: number;
  excluded: Counts;
  /** Sanitized attribute values of exported recipients per CRM column (set by the export). */
  sanitized?: Counts;
  /** The part of `excluded` the suppression ledger decided ("suppressed at export"), by reason. */
  suppressed?: Counts;
  /** Left out at the refill: Optimizely's unsubscribe list holds them (opt-in lists; ledgered excluded). */
  unsubscribedAtRefill?: number;
  /** Left out at the refill after a long pause (a re-export no longer held them): a consent withdrawn in the CRM meanwhile, or out of the selection. */
  notInFreshExport?: number;
  batchesDone: number;
  batchesTotal: number;
  sent: number;
  resultCodes: Counts;
  /** Recipients Optimizely (or the request writer) refused on their own; ledgered rejected, not in the list. */
  rejected: number;
  /** The live list before the clear against what the last run left (runs since the drift-before-clear patch). */
  drift?: ListDrift;
  /** Set for strategy reconcile: the list is diffed and patched, never cleared (window 0). */
  strategy?: 'reconcile';
  /** Strategy reconcile: the diff and what was applied of it. */
  reconcile?: ReconcileTally;
}

export function initialProgress(client: string, listKey: string): ListSyncProgress {
  return {
    client,
    listKey,
    phase: 'starting',
    listIncomplete: false,
    paused: false,
    guardReasons: [],
    excluded: {},
    batchesDone: 0,
    batchesTotal: 0,
    sent: 0,
    resultCodes: {},
    rejected: 0,
  };
}

export function addCounts(into: Counts, more: Counts): void {
  for (const [key, value] of Object.entries(more)) into[key] = (into[key] ?? 0) + value;
}

/** Recipients that are in the list after the refill: added (0) or already there (5, after a resume). */
export function acceptedCount(resultCodes: Counts): number {
  return (resultCodes['0'] ?? 0) + (resultCodes['5'] ?? 0);
}

/** Splits `batchesTotal` into chunks of `perActivity` batches: [firstBatch, endBatch) pairs. */
export function refillChunks(batchesTotal: number, perActivity: number): Array<[number, number]> {
  const chunks: Array<[number, number]> = [];
  for (let first = 0; first < batchesTotal; first += perActivity) {
    chunks.push([first, Math.min(first + perActivity, batchesTotal)]);
  }
  return chunks;
}
