import type { CampaignSyncConfig } from '../src/config/config-schema';
import type { CrmPort } from '../src/crm/crm-port';
import type { OptimizelyPort } from '../src/optimizely/client/optimizely-port';
import type { StateStore } from '../src/store/state-store';
import type { WindowPriority } from '../src/sync/window-priority';
import type { Clock } from '../src/clock';
import type { OpenWindowIngester } from '../src/responses/window-ingester';

/** The ports every activity group may use; built once per worker in src/stack/. */
export interface ActivityDependencies {
  config: CampaignSyncConfig;
  store: StateStore;
  crm: CrmPort;
  /** The Optimizely client of a configured client key; one per key, sessions reused. */
  optimizely(clientKey: string): OptimizelyPort;
  /** Refills running in this worker; exports and ledger recording give way to them. One per worker. */
  windowPriority: WindowPriority;
  /** The clock every activity reads (src/clock.ts): the wall clock unless a test injects one. */
  now: Clock;
  /**
   * Applies response pages on the worker's response ingestion thread (src/responses/ingest-thread)
   * while the next page is read; absent, they are applied on the activity's own thread.
   */
  responseThread?: { openWindow: OpenWindowIngester; ready(): Promise<void> };
}

/**
 * What src/stack/ opens; `createActivities` adds the process-local {@link WindowPriority} and the wall
 * clock when missing.
 */
export type ActivityPorts = Omit<ActivityDependencies, 'windowPriority' | 'now'> & { windowPriority?: WindowPriority; now?: Clock };
