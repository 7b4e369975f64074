/** The list run step that keeps its consent latency, stage list (activities/bookkeeping.ts). */
export const CONSENT_LATENCY_STEP = 'consent-latency';

export type ConsentStage = 'ledger' | 'list';

/** One stage's figures in `report`: minutes, from a "minutes -> count" histogram. */
export interface ConsentStageSummary {
  count: number;
  medianMinutes: number | null;
  p95Minutes: number | null;
  maxMinutes: number | null;
  /** How many took longer than the objective. */
  overObjective: number;
}

/** Adds histograms ("minutes" -> count); entries that are not a count of a non-negative whole minute are ignored. */
export function mergeMinutes(...histograms: ReadonlyArray<Record<string, unknown>>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const histogram of histograms)
    for (const [minute, n] of Object.entries(histogram)) {
      if (!/^\d+$/.test(minute) || typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) continue;
      merged[minute] = (merged[minute] ?? 0) + n;
    }
  return merged;
}

/** Count, nearest-rank median and 95th percentile, maximum, and how many exceeded `objectiveMinutes`. */
export function summariseMinutes(minutes: Record<string, number>, objectiveMinutes: number): ConsentStageSummary {
  const entries = Object.entries(mergeMinutes(minutes))
    .map(([m, n]) => [Number(m), n] as const)
    .sort(([a], [b]) => a - b);
  const count = entries.reduce((sum, [, n]) => sum + n, 0);
  const rank = (q: number): number | null => {
    if (count === 0) return null;
    const wanted = Math.max(1, Math.ceil(q * count));
    let seen = 0;
    for (const [m, n] of entries) if ((seen += n) >= wanted) return m;
    return null;
  };
  return {
    count,
    medianMinutes: rank(0.5),
    p95Minutes: rank(0.95),
    maxMinutes: count === 0 ? null : (entries.at(-1)?.[0] ?? null),
    overObjective: entries.filter(([m]) => m > objectiveMinutes).reduce((sum, [, n]) => sum + n, 0),
  };
}
