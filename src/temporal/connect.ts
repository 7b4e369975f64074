import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

export interface TemporalTarget {
  address: string;
  namespace: string;
}

/**
 * Resolves where to connect: the envconfig conventions (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE) with `fallbackAddress` when none is set.
 */
export function connectOptions(fallbackAddress: string) {
  const config = loadClientConnectConfig();
  const connectionOptions = { ...config.connectionOptions };
  connectionOptions.address ??= fallbackAddress;
  return { connectionOptions, namespace: config.namespace ?? 'default' };
}

export async function connectClient(fallbackAddress: string): Promise<Client> {
  const { connectionOptions, namespace } = connectOptions(fallbackAddress);
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace });
}

export async function connectWorker(fallbackAddress: string): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = connectOptions(fallbackAddress);
  const connection = await NativeConnection.connect(connectionOptions);
  return { connection, namespace };
}
