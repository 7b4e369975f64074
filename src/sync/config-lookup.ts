import { configuredList } from '../crm/crm-config';
import type { CampaignSyncConfig, ClientConfig, SyncListConfig } from '../config/config-schema';
import { clientByKey } from '../config/client-by-key';
import { ConfigError } from '../errors/config-error';
import { listRulesSchema, type ListRules } from '../validation/list-rules';

/** The client and list configuration of a list key, or a ConfigError naming what is known. */
export function listConfig(config: CampaignSyncConfig, clientKey: string, listKey: string): { client: ClientConfig; list: SyncListConfig } {
  const client = clientByKey(config, clientKey);
  const list = client.lists.find((l) => l.key === listKey);
  if (!list) {
    throw new ConfigError('configuration', [
      `unknown list ${listKey} of client ${clientKey}; known: ${client.lists.map((l) => l.key).join(', ')}`,
    ]);
  }
  return { client, list };
}

/** Validation rules of a list: its consent and options, plus the CRM selection's attribute mapping. */
export function listRules(config: CampaignSyncConfig, list: SyncListConfig): ListRules {
  const selection = configuredList(config.crm.lists, list.key);
  return listRulesSchema.parse({
    listKey: list.key,
    optInId: list.optInId,
    mediaType: list.mediaType,
    entityTypes: list.entityTypes,
    entityPreference: list.entityPreference,
    lowercaseLocalPart: list.lowercaseLocalPart,
    idnDomains: list.idnDomains,
    attributes: selection?.attributes ?? {},
    sendability: list.sendability,
  });
}
