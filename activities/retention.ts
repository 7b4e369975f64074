import { log } from '@temporalio/activity';
import { OPEN_RUN_STATUSES } from '../src/store/types';
import { pruneRunFolders } from '../src/sync/prune-run-folders';
import type { ActivityDependencies } from './deps';
import { withKeepalive } from './keepalive';
import type { PruneStateStoreOutput } from './retention-types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Keeps the state store from growing without bound: what runs leave behind, past the configured retention. */
export function createRetentionActivities(deps: ActivityDependencies) {
  const { store, config } = deps;
  const now = () => deps.now().getTime();
  return {
    // A large delete between two progress callbacks must not cost the 30 s heartbeat timeout.
    pruneStateStore: (): Promise<PruneStateStoreOutput> =>
      withKeepalive<undefined, PruneStateStoreOutput>((beat) => prune(() => beat(undefined))),
  };

  async function prune(heartbeat: () => void): Promise<PruneStateStoreOutput> {
    const at = now();
    const snapshotsBefore = new Date(at - config.retention.snapshotDays * DAY_MS).toISOString();
    const runsBefore = new Date(at - config.retention.runDays * DAY_MS).toISOString();
    // Writes of a refill in this worker come first; pruning is no hurry.
    await deps.windowPriority.waitUntilClosed(() => heartbeat());
    // A list sync held or paused past the retention still needs its snapshot to refill.
    const open = (await Promise.all(OPEN_RUN_STATUSES.map((status) => store.runs.list({ status, limit: 10_000 })))).flat();
    // Each list's last good snapshot stays as long as it is the last good one: a failed refill restores from it.
    const lastGood = await Promise.all(
      config.clients.flatMap((client) => client.lists.map((list) => store.runs.lastGood(client.key, list.key))),
    );
    const keep = [...open, ...lastGood].flatMap((run) => (run?.snapshot ? [run.snapshot.snapshotRef] : []));
    const snapshots = await store.snapshots.deleteOlderThan(snapshotsBefore, { keep });
    const runs = await store.runs.deleteStartedBefore(runsBefore, () => heartbeat());
    // Keys of applied feedback events guard re-reads of ClosedLoop's 30 days; older ones guard nothing.
    const feedbackEventKeys = await store.feedbackIntake.deleteKeysBefore(runsBefore);
    // Every daily run keeps its own artefact folder; they go with the runs.
    const runFolders = await pruneRunFolders(config.dataDir, runsBefore, () => heartbeat());
    const output = {
      snapshotsBefore,
      runsBefore,
      snapshots,
      runs: runs.runs,
      ledgerEntries: runs.ledgerEntries,
      feedbackEventKeys,
      runFolders,
    };
    log.info('State store pruned', { ...output });
    return output;
  }
}
