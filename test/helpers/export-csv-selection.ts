import { crmConfigSchema, type CsvCrmConfig } from '../../src/crm/crm-config';
import { openCsvCrm } from '../../src/crm/csv/csv-crm';
import { exportAndValidate, type AcceptedRow } from '../../src/validation/export-and-validate';
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

export interface CsvConsentListExport {
  counts: Awaited<ReturnType<typeof exportAndValidate>>;
  accepted: AcceptedRow[];
  excluded: Exclusion[];
}

/**
 * The CSV file at `path` exported as list `l` of a CSV CRM (outbox `dir`) under consent 11 with the
 * attribute `first_name`, every line allowed to be malformed (and `list`'s other settings): the rows
 * accepted and excluded, in order.
 */
export async function exportCsvConsentList(
  dir: string,
  path: string,
  list: Record<string, unknown> = {},
  format: Record<string, unknown> = {},
): Promise<CsvConsentListExport> {
  const attributes = { first_name: 'firstname' };
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox: dir,
    format,
    lists: { l: { file: path, attributes, maxMalformedPercent: 100, ...list } },
  }) as CsvCrmConfig;
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  const counts = await exportAndValidate({
    crm: openCsvCrm(config),
    rules: listRulesSchema.parse({ listKey: 'l', optInId: '11', attributes }),
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: (e) => void excluded.push(e) },
  });
  return { counts, accepted, excluded };
}
