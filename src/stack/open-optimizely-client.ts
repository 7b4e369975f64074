import type { ClientConfig } from '../config/config-schema';
import { readSecret } from '../config/load-config';
import { createOptimizelyClient } from '../optimizely/client/create-optimizely-client';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';

/** The Optimizely client of one configured client; its password is read from its reference here. */
export function openOptimizelyClient(client: ClientConfig, env: NodeJS.ProcessEnv): OptimizelyPort {
  return createOptimizelyClient({
    baseUrl: client.endpoint,
    mandatorId: client.mandatorId,
    username: client.username,
    password: readSecret(client.password, env),
    concurrency: client.concurrency,
  });
}
