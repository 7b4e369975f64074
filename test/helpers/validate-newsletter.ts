// Exports and validates CRM rows as the list `newsletter` (opt-in 11) of an in-memory CRM, with the
// given list rules and suppression look-up, and collects what was accepted and excluded.
import type { CrmRow } from '../../src/crm/crm-port';
import { exportAndValidate, type AcceptedRow } from '../../src/validation/export-and-validate';
import { listRulesSchema, type ListRulesInput } from '../../src/validation/list-rules';
import type { Exclusion } from '../../src/validation/recipient';
import type { SuppressionLookup } from '../../src/validation/suppressions';
import { inMemoryCrm } from '../unit/crm/in-memory-crm';

export async function validateNewsletter(rows: readonly CrmRow[], rules: Partial<ListRulesInput> = {}, suppression?: SuppressionLookup) {
  const accepted: AcceptedRow[] = [];
  const excluded: Exclusion[] = [];
  const counts = await exportAndValidate({
    crm: inMemoryCrm({ newsletter: rows }),
    rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, ...rules }),
    ...(suppression ? { suppression } : {}),
    accepted: { write: (a) => void accepted.push(a) },
    excluded: { write: (e) => void excluded.push(e) },
  });
  return { counts, accepted, excluded };
}
