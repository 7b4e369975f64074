import type { CampaignSyncConfig } from '../src/config/config-schema';
import type { CrmPort } from '../src/crm/crm-port';
import type { OptimizelyPort } from '../src/optimizely/client/optimizely-port';
import type { StateStore } from '../src/store/state-store';

/** The ports every activity group may use; built once per worker in src/stack/. */
export interface ActivityDependencies {
  config: CampaignSyncConfig;
  store: StateStore;
  crm: CrmPort;
  /** The Optimizely client of a configured client key; one per key, sessions reused. */
  optimizely(clientKey: string): OptimizelyPort;
  /** Wall clock, injectable for tests. */
  now?: () => Date;
}
