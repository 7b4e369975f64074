import { selectionKeyOf, selectionOf } from '../crm/crm-config';
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

/** The CRM column → Optimizely field mapping of a client's list (its selection's `attributes`; none when unconfigured). */
export function listAttributes(config: CampaignSyncConfig, clientKey: string, listKey: string): Record<string, string> {
  return selectionOf(config.crm.lists, clientKey, listKey)?.attributes ?? {};
}

/** Validation rules of a client's list: its consent and options, plus its CRM selection's key and attribute mapping. */
export function listRules(config: CampaignSyncConfig, clientKey: string, list: SyncListConfig): ListRules {
  const selectionKey = selectionKeyOf(config.crm.lists, clientKey, list.key);
  return listRulesSchema.parse({
    listKey: list.key,
    ...(selectionKey === undefined ? {} : { selectionKey }),
    optInId: list.optInId,
    mediaType: list.mediaType,
    entityTypes: list.entityTypes,
    entityPreference: list.entityPreference,
    lowercaseLocalPart: list.lowercaseLocalPart,
    idnDomains: list.idnDomains,
    attributes: listAttributes(config, clientKey, list.key),
    sendability: list.sendability,
  });
}
