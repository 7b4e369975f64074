import type { ActivityPorts } from '../../activities/deps';
import type { CampaignSyncConfig } from '../config/config-schema';
import { clientByKey } from '../config/client-by-key';
import { readSecret } from '../config/load-config';
import { openCrm } from '../crm/open-crm';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { createStateStore, type StateStoreConfig } from '../store/create-state-store';
import { ingestThreadData, ResponseIngestThread } from '../responses/ingest-thread/response-ingest-thread';
import { budgetHolder, openClientPermits } from '../optimizely/budget/open-client-permits';
import { openOptimizelyClient } from './open-optimizely-client';

export interface WorkerDependencies extends ActivityPorts {
  /** Logs out of Optimizely and closes the CRM and the state store. */
  close(): Promise<void>;
}

/** Opens every port the activities need, from the configuration; secrets are read here, once. */
export async function buildDependencies(config: CampaignSyncConfig, env: NodeJS.ProcessEnv = process.env): Promise<WorkerDependencies> {
  const storeConfig: StateStoreConfig =
    config.store.kind === 'sqlite'
      ? config.store
      : { kind: 'postgres', url: readSecret(config.store.url, env), poolSize: config.store.poolSize };
  const store = await createStateStore(storeConfig);
  const crm = openCrm(config.crm, env);
  const threadData = ingestThreadData(storeConfig, config.crm, env);
  const responseThread = threadData && new ResponseIngestThread(threadData);
  const clients = new Map<string, OptimizelyPort>();
  const holder = budgetHolder();
  const optimizely = (clientKey: string): OptimizelyPort => {
    const existing = clients.get(clientKey);
    if (existing) return existing;
    const client = clientByKey(config, clientKey);
    const permits = openClientPermits({
      budget: config.optimizelyBudget,
      dialect: store.dialect,
      leases: store.slotLeases,
      holder,
      client,
    });
    const port = openOptimizelyClient(client, env, permits);
    clients.set(clientKey, port);
    return port;
  };
  return {
    config,
    store,
    crm,
    optimizely,
    ...(responseThread ? { responseThread } : {}),
    async close() {
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
      await responseThread?.close().catch(() => undefined);
      await crm.close();
      await store.close();
    },
  };
}
