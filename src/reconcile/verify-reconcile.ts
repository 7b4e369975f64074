import type { SyncListConfig } from '../config/config-schema';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { createLiveIndex } from '../plan/live-index';
import { planFields } from '../plan/plan-fields';
import { readLiveList } from '../plan/read-live-list';
import type { StateStore } from '../store/state-store';
import type { RunRecord } from '../store/types';
import { REFILL_BATCH_SIZE as RECONCILE_BATCH_SIZE } from '../../workflows/refill-batch';

/** Run count key of the time (epoch ms) a reconcile last read its list back in full and found it exact. */
export const FULL_VERIFIED_AT = 'reconcile.fullVerifiedAtMs';
const DAY_MS = 86_400_000;

/** True when no earlier run of the list read it back in full within `everyDays` days (runs newest first). */
export function fullReadBackDue(runs: readonly RunRecord[], currentRunId: string, everyDays: number, nowMs: number): boolean {
  const last = runs.find((run) => run.runId !== currentRunId && typeof run.counts[FULL_VERIFIED_AT] === 'number');
  return last === undefined || nowMs - (last.counts[FULL_VERIFIED_AT] as number) >= everyDays * DAY_MS;
}

/** Result codes that leave a joiner on the list: added, or already there (a resumed batch). */
const ON_LIST_CODES = new Set([0, 5]);

/**
 * The joiners the additions did not put on the list (refused codes, rejected, left out as unsubscribed),
 * from the run's sent batches over the additions' snapshot: the ids a full read-back must not expect.
 */
async function joinersNotAdded(store: StateStore, runId: string, listKey: string): Promise<Set<string>> {
  const missing = new Set<string>();
  for (let from = 0; ;) {
    const batches = await store.ledger.batches(runId, listKey, { fromBatch: from, limit: 100 });
    if (batches.length === 0) return missing;
    for (const batch of batches) {
      const skipped = new Set([...(batch.rejectedPositions ?? []), ...(batch.unsubscribedPositions ?? [])]);
      const rows = await store.snapshots.readBatch(batch.snapshotRef, batch.batchNo * RECONCILE_BATCH_SIZE, batch.resultCodes.length);
      batch.resultCodes.forEach((code, i) => {
        if (skipped.has(i) || !ON_LIST_CODES.has(code)) missing.add(String(rows[i]?.recipientId));
      });
    }
    from = batches[batches.length - 1]!.batchNo + 1;
  }
}

export interface FullReadBack {
  /** Ids the export wanted on the list (and the run put there) that the list does not hold. */
  missing: number;
  /** Ids the list holds that the export does not select. */
  extra: number;
}

/**
 * Reads the list back in full and compares its ids with the export's snapshot, minus the joiners the
 * additions did not put on the list: exact when both differences are 0.
 */
export async function readBackInFull(input: {
  store: StateStore;
  optimizely: OptimizelyPort;
  runId: string;
  list: SyncListConfig;
  attributeMapping: Record<string, string>;
  snapshotRef: string;
  progress?: () => void;
  signal?: AbortSignal;
}): Promise<FullReadBack> {
  const live = createLiveIndex();
  try {
    const fields = planFields(input.list, input.attributeMapping);
    await readLiveList({
      optimizely: input.optimizely,
      listId: input.list.listId,
      fields,
      index: live,
      signal: input.signal,
      progress: input.progress,
    });
    const notAdded = await joinersNotAdded(input.store, input.runId, input.list.key);
    const result: FullReadBack = { missing: 0, extra: 0 };
    for await (const batch of input.store.snapshots.batches(input.snapshotRef)) {
      input.progress?.();
      for (const row of batch.rows) {
        const id = String(row.recipientId);
        if (live.claim(id).state === 'absent' && !notAdded.has(id)) result.missing += 1;
      }
    }
    for (const _ of live.unseen()) result.extra += 1;
    return result;
  } finally {
    live.close();
  }
}
