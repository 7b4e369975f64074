import { proxyActivities } from '@temporalio/workflow';
import type { SyncActivities } from '../activities/activity-interfaces';
import { PERMANENT_ERROR_TYPES } from './retry-contract';

// Activity tiers more than one workflow uses. A tier's options are not part of what replay compares
// (the activity type and id are), so moving a tier here changes no history.

/** State store reads and writes on the worker's own database: fast, or something is wrong. */
export const bookkeeping = proxyActivities<SyncActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds', nonRetryableErrorTypes: [...PERMANENT_ERROR_TYPES] },
});
