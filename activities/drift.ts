import { cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { listConfig } from '../src/sync/config-lookup';
import { lastLeftCount, listDrift, type ListDrift } from '../src/sync/drift';
import type { ActivityDependencies } from './deps';
import type { RunRef } from './refs';

/** Runs of a list looked through for the count the last one left (rejected and skipped ones are passed over). */
const RUNS_LOOKED_AT = 20;

/** Drift before the clear: the live list's count against what the last run left (counts only). */
export function createDriftActivities(deps: ActivityDependencies) {
  return {
    async measureDrift(input: RunRef): Promise<ListDrift> {
      const { list } = listConfig(deps.config, input.client, input.listKey);
      const runs = await deps.store.runs.list({ client: input.client, listKey: input.listKey, kind: 'list', limit: RUNS_LOOKED_AT });
      // One getCount that may wait for a connection a refill of another list holds: heartbeat meanwhile.
      const beat = setInterval(() => heartbeat(), 1000);
      const liveCount = await deps
        .optimizely(input.client)
        .recipient.getCount({ listId: list.listId }, { signal: cancellationSignal() })
        .finally(() => clearInterval(beat));
      const drift = listDrift(liveCount, lastLeftCount(runs, input.runId));
      if (drift.added > 0 || drift.removed > 0)
        log.warn('List drifted since the last run', { client: input.client, listKey: input.listKey, ...drift });
      return drift;
    },
  };
}
