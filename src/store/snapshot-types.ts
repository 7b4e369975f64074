import type { JsonObject } from './json-types';

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
