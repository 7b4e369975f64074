export interface ResponseWindow {
  since: number;
  until: number;
}

export interface WindowPlanInput {
  /** The stored watermark (ISO), or undefined on a client's first run. */
  watermark: string | undefined;
  /** Optimizely server time now (ms). */
  serverNow: number;
  overlapMs: number;
  retentionMs: number;
  lagMarginMs: number;
  windowMs: number;
}

/** What a run reads, and what it can no longer read. */
export interface WindowPlan {
  since: number;
  until: number;
  windows: ResponseWindow[];
  /** The oldest data still held lies within the lag margin of expiring: the run must catch up now. */
  lagging: boolean;
  /** Length of the span (ms) between the last watermark and the oldest data still held: expired unread. */
  lostBeforeMs: number;
  /** Start of that lost span (ms), when lostBeforeMs > 0. */
  lostSince?: number;
}

/**
 * Plans a run: from the watermark less the overlap (or as far back as data lives on a first run) to
 * server time now, in windows of at most `windowMs`. A span older than the retention is reported as
 * lost rather than requested, because Optimizely would answer it with nothing.
 */
export function planResponseWindows(input: WindowPlanInput): WindowPlan {
  const oldest = input.serverNow - input.retentionMs;
  const wanted = input.watermark === undefined ? oldest : Date.parse(input.watermark) - input.overlapMs;
  const since = Math.max(wanted, oldest);
  const until = Math.max(input.serverNow, since);
  const lostBeforeMs = Math.max(0, oldest - wanted);
  const windows: ResponseWindow[] = [];
  for (let start = since; start < until; start += input.windowMs) {
    windows.push({ since: start, until: Math.min(start + input.windowMs, until) });
  }
  // A first run reads back to the retention limit by design; that alone is not lagging.
  const lagging = input.watermark !== undefined && (lostBeforeMs > 0 || wanted < oldest + input.lagMarginMs);
  return { since, until, windows, lagging, lostBeforeMs, ...(lostBeforeMs > 0 ? { lostSince: wanted } : {}) };
}
