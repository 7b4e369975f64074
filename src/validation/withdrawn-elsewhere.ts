import type { ExclusionReason } from './exclusion-reasons';
import type { Recipient } from './recipient';
import { suppressionKeyForms } from './suppressions';

// One person may stand in several rows of a selection: a contact and a lead with one address, or one
// entity twice through a join. Rows that disagree about the person's consent are a conflict the export
// cannot settle by picking a row: a withdrawal in any row of the list's consent wins for every row with
// the same recipient id or address (docs/crm.md, "Conflicting rows"). Doubt never sends.

/** Exclusions that speak for the person rather than for the row (the restore honours the same set). */
export const PERSON_EXCLUSIONS: ReadonlySet<ExclusionReason> = new Set<ExclusionReason>([
  'consent_withdrawn',
  'bounced',
  'unsubscribed',
  'resubscribe_needs_optin',
  'resubscribe_zone_unknown',
  'withdrawal_not_regranted',
]);

/** Why a row is excluded for another row's withdrawal: that row's reason, and where it was stated. */
export interface WithdrawnElsewhere {
  reason: ExclusionReason;
  field: string;
}

export interface WithdrawnKeys {
  /** Records a row excluded for a person reason, under every key it names (raw id and address). */
  note(values: readonly (string | undefined)[], reason: ExclusionReason, field: string, rowNumber: number): void;
  /** The first withdrawal recorded under the recipient's id or address, if any. */
  find(recipient: Recipient): WithdrawnElsewhere | undefined;
}

/** Memory: one map entry per distinct key of a row excluded for a person reason (like the ledger's look-up). */
export function withdrawnKeys(): WithdrawnKeys {
  const withdrawn = new Map<string, WithdrawnElsewhere>();
  return {
    note(values, reason, field, rowNumber) {
      for (const value of values) {
        // Every key the value's opt-out holds under (a locale's case of the address too).
        for (const key of value === undefined ? [] : suppressionKeyForms(value)) {
          if (key !== '' && !withdrawn.has(key)) withdrawn.set(key, { reason, field: `${field} (row ${rowNumber})` });
        }
      }
    },
    find(recipient) {
      if (withdrawn.size === 0) return undefined;
      // An accepted address is normalised printable ASCII: its suppression key is its lower-case form
      // (asserted by test/unit/validation/withdrawn-elsewhere.test.ts), which spares the fold per row.
      // One with a punycode domain has the folded forms of its Unicode domain too (suppressionKeyForms):
      // `ali@GMAİL.COM`, sent as `ali@xn--gmail-bgd.com`, is withdrawn where `ali@gmail.com` is.
      // One with a `+tag` has the untagged address's key too: an opt-out under any plus form meets it.
      const byEmail = firstFound(
        withdrawn,
        recipient.email.includes('xn--') || recipient.email.includes('+')
          ? suppressionKeyForms(recipient.email)
          : [recipient.email.toLowerCase()],
      );
      if (byEmail !== undefined || recipient.recipientId === recipient.email) return byEmail;
      return firstFound(withdrawn, suppressionKeyForms(recipient.recipientId));
    },
  };
}

function firstFound(withdrawn: ReadonlyMap<string, WithdrawnElsewhere>, keys: readonly string[]): WithdrawnElsewhere | undefined {
  for (const key of keys) {
    const found = withdrawn.get(key);
    if (found !== undefined) return found;
  }
  return undefined;
}
