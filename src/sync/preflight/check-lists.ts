// `campaign-sync check`: the pre-flight of every list of a client (or one), plus the CRM selection's
// columns, without changing anything. Each list's result says what was checked and what is wrong.
import type { CampaignSyncConfig, ClientConfig, SyncListConfig } from '../../config/config-schema';
import type { CrmPort } from '../../crm/crm-port';
import type { OptimizelyPort } from '../../optimizely/client/optimizely-port';
import { listRules } from '../config-lookup';
import { checkSelectionColumns } from './check-selection-columns';
import { preflightList } from './preflight-list';

export interface ListCheckResult {
  listKey: string;
  listId: number;
  ok: boolean;
  /** Disabled lists are not checked unless asked for by name. */
  skipped?: 'disabled';
  /** Each names the list, field, column or setting. */
  problems: string[];
  fieldsRequired: number;
  fieldsPresent: number;
  /** False when the selection returned no row, so its columns could not be seen. */
  columnsChecked: boolean;
}

export interface CheckListsInput {
  config: CampaignSyncConfig;
  client: ClientConfig;
  /** The lists to check; a disabled one given here is checked too. */
  lists: readonly SyncListConfig[];
  named: boolean;
  optimizely: OptimizelyPort;
  crm: CrmPort;
}

/** One list after another, so a client's SOAP budget is not spent on a check. */
export async function checkLists(input: CheckListsInput): Promise<ListCheckResult[]> {
  const results: ListCheckResult[] = [];
  for (const list of input.lists) results.push(await checkOne(input, list));
  return results;
}

async function checkOne(input: CheckListsInput, list: SyncListConfig): Promise<ListCheckResult> {
  const base = { listKey: list.key, listId: list.listId, fieldsRequired: 0, fieldsPresent: 0, columnsChecked: false };
  if (!list.enabled && !input.named) return { ...base, ok: true, skipped: 'disabled', problems: [] };
  const problems: string[] = [];
  try {
    const found = await preflightList(input.config, { client: input.client.key, listKey: list.key }, input.optimizely);
    Object.assign(base, { fieldsRequired: found.fieldsRequired, fieldsPresent: found.fieldsPresent });
    problems.push(...found.problems);
  } catch (error) {
    problems.push(`Optimizely could not be asked about list ${list.listId}: ${(error as Error).message}`);
  }
  const columns = await checkSelectionColumns(input.crm, listRules(input.config, input.client.key, list));
  problems.push(...columns.problems);
  return { ...base, columnsChecked: columns.checked, ok: problems.length === 0, problems };
}
