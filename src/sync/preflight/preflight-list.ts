import type { CampaignSyncConfig } from '../../config/config-schema';
import type { CallOptions, OptimizelyPort } from '../../optimizely/client/optimizely-port';
import { listAttributes, listConfig } from '../config-lookup';
import { attributeNamesFor } from '../recipient-batch';
import { checkListAtOptimizely, type OptimizelyCheckResult } from './check-list-at-optimizely';

/** The Optimizely pre-flight of a configured list: the same names the refill will send. */
export function preflightList(
  config: CampaignSyncConfig,
  ref: { client: string; listKey: string },
  optimizely: OptimizelyPort,
  options?: CallOptions,
): Promise<OptimizelyCheckResult> {
  const { list } = listConfig(config, ref.client, ref.listKey);
  return checkListAtOptimizely({
    optimizely,
    listKey: list.key,
    listId: list.listId,
    optinProcessId: list.optinProcessId,
    attributeNames: attributeNamesFor(listAttributes(config, ref.client, list.key)),
    options,
  });
}
