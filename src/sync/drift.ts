import type { RunRecord } from '../store/types';

/**
 * How far the live list moved since the last run left it: counted before tonight's clear and compared
 * with that run's verified count. Counts only (no ids), so `added` and `removed` are the net change:
 * 3 hand-added and 1 removed by Optimizely show as 2 added. The ids would need the list read in full,
 * which `campaign-sync plan` does.
 */
export interface ListDrift {
  /** Recipient.getCount just before the clear. */
  liveCount: number;
  /** The verified count the last run that changed the list left; absent when unknown (first run, or it failed). */
  expectedCount?: number;
  /** Net recipients on the list that the last run did not leave there (added by someone else). */
  added: number;
  /** Net recipients the last run left that are gone (removed at Optimizely: by hand, bounce or unsubscribe clean-up). */
  removed: number;
}

export function listDrift(liveCount: number, expectedCount: number | undefined): ListDrift {
  if (expectedCount === undefined) return { liveCount, added: 0, removed: 0 };
  const delta = liveCount - expectedCount;
  return { liveCount, expectedCount, added: Math.max(0, delta), removed: Math.max(0, -delta) };
}

/**
 * The count the list was last left with, from the list's runs newest first (not `current`): a run
 * that verified (ready, or restored) left its verified count; a run that ended without touching the
 * list (rejected, skipped, cancelled before its clear) is looked past; a failed run leaves the list
 * unknown. Open runs are passed over.
 */
export function lastLeftCount(runs: readonly RunRecord[], current: string): number | undefined {
  for (const run of runs) {
    if (run.runId === current || run.status === 'running' || run.status === 'held') continue;
    const verified = run.counts.verifiedCount;
    if (typeof verified === 'number') return verified;
    if (run.status === 'failed') return undefined;
  }
  return undefined;
}

/** One line for the summary, `status` and `report`; undefined when nothing is known. */
export function driftText(drift: Partial<ListDrift> | undefined): string | undefined {
  if (drift?.liveCount === undefined) return undefined;
  if (drift.expectedCount === undefined) return `live list ${drift.liveCount} before the clear (no earlier verified count to compare)`;
  if (!drift.added && !drift.removed) return `no drift: live list ${drift.liveCount} before the clear, as the last run left it`;
  const parts = [
    ...(drift.added ? [`${drift.added} added by someone else`] : []),
    ...(drift.removed ? [`${drift.removed} removed at Optimizely`] : []),
  ];
  return `DRIFT: live list ${drift.liveCount} before the clear, the last run left ${drift.expectedCount} (net ${parts.join(', ')}; see campaign-sync plan)`;
}

/** The drift a run recorded in its counts (`drift.liveCount`, ...: the run summary flattened). */
export function driftFromCounts(counts: Record<string, number>): Partial<ListDrift> | undefined {
  if (counts['drift.liveCount'] === undefined) return undefined;
  return {
    liveCount: counts['drift.liveCount'],
    expectedCount: counts['drift.expectedCount'],
    added: counts['drift.added'] ?? 0,
    removed: counts['drift.removed'] ?? 0,
  };
}
