import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { TemporalUnreachableError } from '../errors/temporal-unreachable-error';

/**
 * Connects as the worker does (envconfig: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
 * TEMPORAL_TLS_*, TEMPORAL_PROFILE), defaulting to the embedded dev server's port. Fails fast with
 * the address tried rather than hanging on a server that is not there.
 */
export async function connectTemporal(env: NodeJS.ProcessEnv): Promise<Client> {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const config = loadClientConnectConfig({ overrideEnvVars: vars });
  const address = config.connectionOptions.address ?? `127.0.0.1:${env.CAMPAIGN_SYNC_DEV_SERVER_PORT ?? 7233}`;
  const namespace = config.namespace ?? 'default';
  try {
    const connection = await Connection.connect({ ...config.connectionOptions, address, connectTimeout: '5s' });
    return new Client({ connection, namespace });
  } catch (cause) {
    throw new TemporalUnreachableError(address, namespace, { cause });
  }
}
