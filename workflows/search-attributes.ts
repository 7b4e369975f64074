import { defineSearchAttributeKey } from '@temporalio/common';

/** Custom search attributes that make runs findable in the Web UI (`ListKey = "newsletter"`). */
export const CLIENT_KEY = defineSearchAttributeKey('CampaignClient', 'KEYWORD');
export const LIST_KEY = defineSearchAttributeKey('ListKey', 'KEYWORD');
export const SYNC_PHASE = defineSearchAttributeKey('SyncPhase', 'KEYWORD');

export const SEARCH_ATTRIBUTES = [CLIENT_KEY, LIST_KEY, SYNC_PHASE];

/** The `Name=Type` form the `temporal server start-dev --search-attribute` flag expects. */
export function searchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTES.map((key) => `${key.name}=Keyword`);
}
