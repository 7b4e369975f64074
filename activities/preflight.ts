import { cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { ListPreflightError } from '../src/errors/list-preflight-error';
import { preflightList } from '../src/sync/preflight/preflight-list';
import type { ActivityDependencies } from './deps';
import type { PreflightListOutput } from './preflight-types';
import type { RunRef } from './refs';

/** The check before the clear: a list Optimizely cannot refill fails here, while it still holds yesterday's recipients. */
export function createPreflightActivities(deps: ActivityDependencies) {
  return {
    async preflightList(input: RunRef): Promise<PreflightListOutput> {
      // A few SOAP calls, each possibly waiting for a connection a refill holds: heartbeat while they run.
      const beat = setInterval(() => heartbeat(), 1000);
      const result = await preflightList(deps.config, input, deps.optimizely(input.client), { signal: cancellationSignal() }).finally(() =>
        clearInterval(beat),
      );
      if (result.oddFieldEntries > 0)
        log.warn('Attribute-name answer held unusable entries', { listKey: input.listKey, odd: result.oddFieldEntries });
      if (result.problems.length > 0) {
        log.error('List failed the pre-flight check', { client: input.client, listKey: input.listKey, problems: result.problems });
        throw new ListPreflightError(input.listKey, result.problems);
      }
      return { fieldsChecked: result.fieldsRequired };
    },
  };
}
