import { createBookkeepingActivities } from './bookkeeping';
import { createCampaignListActivities } from './campaign-list';
import type { ActivityDependencies } from './deps';
import { createExportActivities } from './export';
import { createFeedbackActivities } from './feedback';
import { createResponseActivities } from './responses';
import { createStackActivities } from './stack';
import type { ResponseActivities, SyncActivities } from './types';

export type { ActivityDependencies } from './deps';

/** Builds every activity the worker registers, each group with only the ports it uses. */
export function createActivities(deps: ActivityDependencies) {
  const sync: SyncActivities = {
    ...createBookkeepingActivities(deps),
    ...createFeedbackActivities(deps),
    ...createExportActivities(deps),
    ...createCampaignListActivities(deps),
  };
  const responses: ResponseActivities = createResponseActivities(deps);
  return { ...createStackActivities(), ...sync, ...responses };
}
