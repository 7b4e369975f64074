import { heartbeat, log } from '@temporalio/activity';
import type { ActivityDependencies } from './deps';
import type { PruneStateStoreOutput } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Keeps the state store from growing without bound: what runs leave behind, past the configured retention. */
export function createRetentionActivities(deps: ActivityDependencies) {
  const { store, config } = deps;
  const now = () => (deps.now ?? (() => new Date()))().getTime();
  return {
    async pruneStateStore(): Promise<PruneStateStoreOutput> {
      const at = now();
      const snapshotsBefore = new Date(at - config.retention.snapshotDays * DAY_MS).toISOString();
      const runsBefore = new Date(at - config.retention.runDays * DAY_MS).toISOString();
      // Writes of a refill in this worker come first; pruning is no hurry.
      while (await deps.windowPriority.giveWay(1000)) heartbeat();
      const snapshots = await store.snapshots.deleteOlderThan(snapshotsBefore);
      const runs = await store.runs.deleteStartedBefore(runsBefore, () => heartbeat());
      const output = { snapshotsBefore, runsBefore, snapshots, runs: runs.runs, ledgerEntries: runs.ledgerEntries };
      log.info('State store pruned', { ...output });
      return output;
    },
  };
}
