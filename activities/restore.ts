import { heartbeat, log } from '@temporalio/activity';
import { listConfig } from '../src/sync/config-lookup';
import { prepareRestore } from '../src/sync/restore/prepare-restore';
import type { ActivityDependencies } from './deps';
import type { PrepareRestoreInput, PrepareRestoreOutput } from './restore-types';

/** The restore of a list whose sync failed after its clear: what to refill it with. */
export function createRestoreActivities(deps: ActivityDependencies) {
  const { config, store } = deps;
  const now = deps.now;
  return {
    async prepareRestore(input: PrepareRestoreInput): Promise<PrepareRestoreOutput> {
      const { list } = listConfig(config, input.client, input.listKey);
      const startedAt = (await store.runs.get(input.restoreRunId))?.startedAt ?? now().toISOString();
      // The restore's own run: open while it refills, so retention keeps its snapshot.
      await store.runs.upsert({
        runId: input.restoreRunId,
        kind: 'restore',
        client: input.client,
        listKey: input.listKey,
        status: 'running',
        startedAt,
        endedAt: null,
        counts: {},
        snapshot: null,
        // prepareRestore leaves out every row of another consent than today's: the restore sends under it.
        consent: { optInId: list.optInId, mediaType: list.mediaType },
        listId: list.listId,
      });
      const plan = await prepareRestore({
        store,
        client: input.client,
        list: {
          key: list.key,
          listId: list.listId,
          restoreMaxAgeDays: list.restoreMaxAgeDays,
          optInId: list.optInId,
          mediaType: list.mediaType,
        },
        runId: input.runId,
        restoreRunId: input.restoreRunId,
        now: now(),
        heartbeat: (rows) => heartbeat({ rows }),
      });
      if (!plan.restorable) {
        log.error('List left incomplete: nothing to restore', { client: input.client, listKey: input.listKey, reason: plan.reason });
        return plan;
      }
      const run = await store.runs.get(input.restoreRunId);
      if (run) await store.runs.upsert({ ...run, snapshot: { snapshotRef: plan.snapshotRef, count: plan.count, checksum: plan.checksum } });
      log.warn('List restore prepared', {
        client: input.client,
        listKey: input.listKey,
        fromRunId: plan.fromRunId,
        count: plan.count,
        suppressed: plan.suppressed,
      });
      return plan;
    },
  };
}
