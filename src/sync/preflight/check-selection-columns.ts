import { malformedRowOf, type CrmPort } from '../../crm/crm-port';
import { CrmSelectionColumnsError } from '../../errors/crm-selection-columns-error';
import { checkColumns } from '../../validation/export-and-validate';
import type { ListRules } from '../../validation/list-rules';

export interface SelectionColumnsResult {
  problems: string[];
  /** False when the selection returned no row: a query's columns are only known from a row. */
  checked: boolean;
}

/**
 * Reads the first row of a list's CRM selection and checks it has every column the export needs, by
 * the export's own rule. Only column names are looked at; the row's values are never kept or shown.
 */
export async function checkSelectionColumns(crm: CrmPort, rules: ListRules): Promise<SelectionColumnsResult> {
  try {
    for await (const row of crm.exportSelection(rules.listKey)) {
      // An unreadable CSV line has no columns to look at; the adapter checked the file's header already.
      if (malformedRowOf(row)) continue;
      checkColumns(row, rules);
      return { problems: [], checked: true };
    }
    return { problems: [], checked: false };
  } catch (error) {
    if (error instanceof CrmSelectionColumnsError) {
      return { problems: [`the CRM selection of list ${rules.listKey} lacks the columns ${error.missingColumns.join(', ')}`], checked: true };
    }
    return { problems: [`the CRM selection of list ${rules.listKey} could not be read: ${(error as Error).message}`], checked: false };
  }
}
