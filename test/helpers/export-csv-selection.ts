import { crmConfigSchema, type CsvCrmConfig } from '../../src/crm/crm-config';
import { openCsvCrm } from '../../src/crm/csv/csv-crm';
import { exportAndValidate } from '../../src/validation/export-and-validate';
import { listRulesSchema } from '../../src/validation/list-rules';
import type { Exclusion } from '../../src/validation/recipient';

export interface CsvSelectionExport {
  /** The export's counts, unless it refused the file. */
  counts?: Awaited<ReturnType<typeof exportAndValidate>>;
  /** The refusal, if it refused the file. */
  error?: Error;
  accepted: number;
  excluded: Exclusion[];
}

/**
 * The CSV file at `path` exported as list `l` of a CSV CRM (outbox `dir`, consent `SECRET`) through
 * validation: what was accepted and excluded, and the counts or the refusal.
 */
export async function exportCsvSelection(dir: string, path: string, maxMalformedPercent: number): Promise<CsvSelectionExport> {
  const config = crmConfigSchema.parse({ kind: 'csv', outbox: dir, lists: { l: { file: path, maxMalformedPercent } } }) as CsvCrmConfig;
  const result: CsvSelectionExport = { accepted: 0, excluded: [] };
  try {
    result.counts = await exportAndValidate({
      crm: openCsvCrm(config),
      rules: listRulesSchema.parse({ listKey: 'l', optInId: 'SECRET', recipientIdKind: 'opaque' }),
      accepted: { write: () => void (result.accepted += 1) },
      excluded: { write: (e) => void result.excluded.push(e) },
    });
  } catch (error) {
    result.error = error as Error;
  }
  return result;
}
