import type { SuppressionStore } from '../../store/state-store';
import type { CrmWithdrawal, CrmWithdrawalScope } from '../../store/suppression-types';
import { suppressionKeyForms } from '../../validation/suppressions';
import { fieldLine } from '../terminal-text';

type FoundWithdrawal = CrmWithdrawal & CrmWithdrawalScope;

/**
 * The CRM withdrawals recorded for what the operator typed (docs/crm.md, "CRM withdrawals"): the
 * export records them under the suppression key forms of a row's recipient id and address, so an
 * address or a bare recipient id is looked up under its forms; `type:id` names an entity, which no
 * withdrawal is recorded under. Without them, `why` said "not in the selection" of someone a list
 * leaves out for good until the CRM grants the consent again, and not why.
 */
export async function crmWithdrawalsFor(
  store: Pick<SuppressionStore, 'crmWithdrawalsOf'>,
  client: string,
  typed: string,
): Promise<FoundWithdrawal[]> {
  const subject = typed.trim();
  if (subject === '' || /^[a-z_]+:.+$/.test(subject)) return [];
  return store.crmWithdrawalsOf(client, suppressionKeyForms(subject));
}

/** One line per consent the CRM withdrew, with the lists of the client that send under it. */
export function crmWithdrawalLines(
  lists: ReadonlyArray<{ key: string; optInId: string; mediaType: string }>,
  withdrawals: readonly FoundWithdrawal[],
): string[] {
  if (withdrawals.length === 0) return [];
  const listsOf = (w: FoundWithdrawal) =>
    lists.filter((l) => l.optInId.trim() === w.optInId && l.mediaType.trim().toLowerCase() === w.mediaType).map((l) => l.key);
  return [
    'CRM withdrawals (sent again only once the CRM grants the consent at a later time):',
    ...withdrawals.map((w) => {
      const named = listsOf(w);
      return fieldLine`  ${w.withdrawnAt.slice(0, 16).replace('T', ' ')}  consent ${w.optInId} (${w.mediaType}) withdrawn, as ${w.recipientKey}; lists ${named.length > 0 ? named.join(', ') : 'none configured'}`;
    }),
  ];
}
