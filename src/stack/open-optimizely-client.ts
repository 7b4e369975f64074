import type { ClientConfig } from '../config/config-schema';
import { readSecret } from '../config/load-config';
import { createOptimizelyClient } from '../optimizely/client/create-optimizely-client';
import type { ClientPermits } from '../optimizely/client/call-permits';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';

/**
 * The Optimizely client of one configured client; its password is read from its reference here.
 * `permits` is the budget shared with other workers, when the configuration shares it.
 */
export function openOptimizelyClient(client: ClientConfig, env: NodeJS.ProcessEnv, permits?: ClientPermits): OptimizelyPort {
  return createOptimizelyClient(
    {
      baseUrl: client.endpoint,
      mandatorId: client.mandatorId,
      username: client.username,
      password: readSecret(client.password, env),
      concurrency: client.concurrency,
    },
    { permits },
  );
}
