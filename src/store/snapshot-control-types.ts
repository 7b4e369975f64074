import type { JsonObject } from './types';

/** One validated recipient row; its exact shape belongs to the export, the store keeps it as JSON. */
export type SnapshotRow = JsonObject;

export interface SnapshotMeta {
  client: string;
  listKey: string;
  runId: string;
}

export interface SnapshotSummary {
  snapshotRef: string;
  count: number;
  /** sha256 (hex) over the canonical JSON of every row, in order, each followed by a newline. */
  checksum: string;
}

export type SnapshotInfo = SnapshotMeta & SnapshotSummary & { createdAt: string; completedAt: string };

export interface SnapshotBatch {
  /** Offset (0-based) of the first row of this batch. */
  offset: number;
  rows: SnapshotRow[];
}

/** Whether a synchronised list is paused (it stays so across days until resumed), by whom and why. */
export interface ListControl {
  client: string;
  listKey: string;
  paused: boolean;
  by: string;
  reason: string;
  at: string;
}

/** An operator's action (pause, resume, approve, reject, rerun, ...): append-only audit. */
export interface OperatorAction {
  /** Optional idempotency key (e.g. workflow id + signal); a repeated id is recorded once. */
  actionId?: string;
  actor: string;
  action: string;
  client: string;
  listKey: string | null;
  reason: string;
  at: string;
  details?: JsonObject;
}

export interface OperatorActionFilter {
  client?: string;
  listKey?: string;
  limit?: number;
}

export interface Watermark {
  client: string;
  /** What the watermark tracks, e.g. `feedback`, `responses`. */
  kind: string;
  /** ISO timestamp in Optimizely server time (converted from its epoch milliseconds). */
  at: string;
}
