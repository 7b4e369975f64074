import { ConfigError } from '../errors/config-error';
import type { CampaignSyncConfig, ClientConfig } from './config-schema';

/** The configured client with this key, or a ConfigError naming the unknown key and the keys that exist. */
export function clientByKey(config: Pick<CampaignSyncConfig, 'clients'>, key: string): ClientConfig {
  const client = config.clients.find((c) => c.key === key);
  if (!client) throw new ConfigError('configuration', [`unknown client ${key}; known: ${config.clients.map((c) => c.key).join(', ')}`]);
  return client;
}
