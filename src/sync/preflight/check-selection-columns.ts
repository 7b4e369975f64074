import { malformedRowOf, type CrmPort } from '../../crm/crm-port';
import { CrmSelectionAmbiguousError } from '../../errors/crm-selection-ambiguous-error';
import { CrmSelectionColumnsError } from '../../errors/crm-selection-columns-error';
import { checkColumns } from '../../validation/export-and-validate';
import { selectionKeyOfRules, type ListRules } from '../../validation/list-rules';

/** Malformed lines before the first readable row are skipped like the export skips them, up to here. */
const MAX_ROWS_LOOKED_AT = 1000;

export interface SelectionColumnsResult {
  problems: string[];
  /** False when no readable row came: a query's columns are only known from a row. */
  checked: boolean;
}

/**
 * Checks that a list's CRM selection has every column the export needs, by the export's own rules:
 * the adapter's (a CSV file's header, with its column mapping) and the first readable row's. Only
 * column names are looked at; no value is kept or shown.
 */
export async function checkSelectionColumns(crm: CrmPort, rules: ListRules): Promise<SelectionColumnsResult> {
  let looked = 0;
  try {
    for await (const row of crm.exportSelection(selectionKeyOfRules(rules))) {
      if (malformedRowOf(row)) {
        if (++looked >= MAX_ROWS_LOOKED_AT) break;
        continue;
      }
      checkColumns(row, rules);
      return { problems: [], checked: true };
    }
    return { problems: [], checked: false };
  } catch (error) {
    if (error instanceof CrmSelectionColumnsError || error instanceof CrmSelectionAmbiguousError)
      return { problems: [`CRM: ${error.message}`], checked: true };
    return { problems: [`the CRM selection of list ${rules.listKey} could not be read: ${(error as Error).message}`], checked: false };
  }
}
