import { createAlertActivities } from './alerts';
import { createBookkeepingActivities } from './bookkeeping';
import { createCampaignListActivities } from './campaign-list';
import { WindowPriority } from '../src/sync/window-priority';
import { systemClock } from '../src/clock';
import type { ActivityDependencies, ActivityPorts } from './deps';
import { createDriftActivities } from './drift';
import { createExportActivities } from './export';
import { createFeedbackActivities } from './feedback';
import { createPreflightActivities } from './preflight';
import { createReadyByActivities } from './ready-by';
import { createReconcileActivities } from './reconcile';
import { createResponseActivities } from './responses';
import { createRestoreActivities } from './restore';
import { createRetentionActivities } from './retention';
import { createStackActivities } from './stack';
import type { ReadyByActivities, ResponseActivities, SyncActivities } from './activity-interfaces';

export type { ActivityDependencies, ActivityPorts } from './deps';

/**
 * Builds every activity the worker registers, each group with only the ports it uses. One call per
 * worker: the activities share one {@link WindowPriority} unless given one.
 */
export function createActivities(ports: ActivityPorts) {
  const deps: ActivityDependencies = {
    ...ports,
    windowPriority: ports.windowPriority ?? new WindowPriority(),
    now: ports.now ?? systemClock,
  };
  const sync: SyncActivities = {
    ...createBookkeepingActivities(deps),
    ...createFeedbackActivities(deps),
    ...createExportActivities(deps),
    ...createPreflightActivities(deps),
    ...createDriftActivities(deps),
    ...createCampaignListActivities(deps),
    ...createReconcileActivities(deps),
    ...createRetentionActivities(deps),
    ...createRestoreActivities(deps),
    ...createAlertActivities(deps),
  };
  const responses: ResponseActivities = createResponseActivities(deps);
  const readyBy: ReadyByActivities = createReadyByActivities(deps);
  return { ...createStackActivities(), ...sync, ...responses, ...readyBy };
}
