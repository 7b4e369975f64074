import { log } from '@temporalio/activity';
import { checkReadyBy, type CheckReadyByInput, type CheckReadyByOutput } from '../src/alerts/ready-by-check';
import { clientByKey } from '../src/config/client-by-key';
import type { ActivityDependencies } from './deps';

/** The readyBy deadline check (workflows/ready-by.ts): state store reads only. */
export function createReadyByActivities(deps: ActivityDependencies) {
  return {
    async checkReadyBy(input: CheckReadyByInput): Promise<CheckReadyByOutput> {
      const result = await checkReadyBy(deps.store, clientByKey(deps.config, input.client), input);
      const late = result.lists.filter((list) => list.state === 'late').map((list) => list.listKey);
      log.info('readyBy deadline checked', { client: input.client, readyBy: input.readyBy, deadline: result.deadline, late });
      return result;
    },
  };
}
