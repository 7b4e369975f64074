import type { ResponseCounts } from '../src/responses/response-counts';

// JSON-plain references and counts only: every input and output lands in workflow histories.

export interface PlanResponseIngestInput {
  client: string;
  /** The state store's run id: the Temporal run id of the ingestion. */
  runId: string;
  workflowId: string;
  /** Window length (ms); defaults to a day. */
  windowMs?: number;
}

/** Windows on Optimizely server time (ms), and what the lag guard found. */
export interface PlanResponseIngestOutput {
  since: number;
  until: number;
  windows: Array<{ since: number; until: number }>;
  /** The watermark is so far behind that data is expiring (or has expired) before it is read. */
  lagging: boolean;
  /** Length (ms) of the span that expired unread, between the last watermark and the oldest data held. */
  lostBeforeMs: number;
  /** Start of that span (ms), when lostBeforeMs > 0. */
  lostSince?: number;
  /** The watermark before this run (ISO); absent on a client's first run. */
  previousWatermark?: string;
}

export interface IngestResponseWindowInput {
  client: string;
  runId: string;
  since: number;
  until: number;
}

export interface IngestResponseWindowOutput {
  counts: ResponseCounts;
  /** The watermark after the window (ISO). */
  watermark: string;
}

export interface FinishResponseIngestInput {
  client: string;
  runId: string;
  status: 'completed' | 'failed';
  counts: ResponseCounts;
  windows: number;
  lagging: boolean;
  lostBeforeMs: number;
}
