import type { JsonObject } from './json-types';

/** `restore`: the refill of a failed list sync's last good list, beside that list sync's run (`<runId>:restore`). */
export const RUN_KINDS = ['daily', 'list', 'responses', 'restore'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
/**
 * `restored`: a list sync that failed after its clear and refilled the last good run's recipients
 * minus everyone suppressed since; never a good run (the guard and a later restore never start from it).
 */
export type RunStatus = 'running' | 'held' | 'completed' | 'failed' | 'rejected' | 'cancelled' | 'restored';
export type StepStatus = 'running' | 'completed' | 'failed' | 'skipped';

/** The snapshot a list run exported; kept on the run so the guard survives snapshot clean-up. */
export interface RunSnapshot {
  snapshotRef: string;
  count: number;
  checksum: string;
}

/**
 * The advertising consent a list run (or a restore) sent its recipients under: the list's `optInId`
 * and `mediaType` its export (or the restore's preparation) checked every row against. One per run:
 * every snapshot row carries exactly this opt-in id (validate-row's `consent_mismatch`) and this medium.
 */
export interface RunConsent {
  optInId: string;
  mediaType: string;
}

/** One workflow run (daily run, list sync or response ingestion), keyed by `runId`. */
export interface RunRecord {
  runId: string;
  kind: RunKind;
  client: string;
  /** Set for list runs; null for daily and response runs. */
  listKey: string | null;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  counts: Record<string, number>;
  snapshot: RunSnapshot | null;
  /**
   * List and restore runs that exported a snapshot since migration 14: the consent it was sent under.
   * Absent when unknown (runs recorded before, other kinds). An upsert without it keeps the one recorded.
   */
  consent?: RunConsent;
  /**
   * List and restore runs since migration 15: the Optimizely list id they sent to, so an opt-out
   * Optimizely reports for it still finds its recipients once the list left the configuration.
   * Absent when unknown. An upsert without it keeps the one recorded.
   */
  listId?: number;
}

export interface RunFilter {
  client?: string;
  listKey?: string;
  kind?: RunKind;
  status?: RunStatus;
  /** Newest first; defaults to 50. */
  limit?: number;
}

/** One step of a run (export, guard, clear, refill, verify, ...), keyed by run and name. */
export interface StepRecord {
  runId: string;
  name: string;
  status: StepStatus;
  startedAt: string;
  endedAt: string | null;
  details: JsonObject;
}

/** Runs that have not ended: a list sync held or paused for longer than the retention must survive it. */
export const OPEN_RUN_STATUSES = ['running', 'held'] as const;

/** What `runs.deleteStartedBefore` removed. */
export interface RunRetentionResult {
  runs: number;
  ledgerEntries: number;
}
