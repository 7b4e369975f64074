import { z } from 'zod';
import { sendabilityPolicySchema } from './sendability-policy';

/**
 * How the rows of one synchronised list are validated. The full configuration builds it from the
 * list's consent and the CRM list entry (`attributes` is the same mapping as that entry's `attributes`).
 */
export const listRulesSchema = z.object({
  listKey: z.string().min(1),
  /**
   * The `crm.lists` key the selection is read under (selectionKeyOf: `<client>/<list>` or the list
   * key); the list key when absent (one client, or a test's own CRM).
   */
  selectionKey: z.string().min(1).optional(),
  /** The list's advertising consent: rows with another opt-in id are `consent_mismatch`. */
  optInId: z.union([z.string().min(1), z.int()]).transform(String),
  mediaType: z.string().min(1).default('email'),
  entityTypes: z.array(z.string().min(1)).min(1).default(['contact', 'lead', 'account']),
  /** Which entity's row is kept when several share a recipient id; earlier wins. */
  entityPreference: z.array(z.string().min(1)).default(['contact', 'lead', 'account']),
  lowercaseLocalPart: z.boolean().default(true),
  /** `reject`: a Unicode e-mail domain is `idn_domain`; `punycode`: converted with domainToASCII (counted). */
  idnDomains: z.enum(['reject', 'punycode']).default('reject'),
  /** `email`: recipient ids are e-mail addresses and normalised by the e-mail rule; `opaque`: trimmed only. */
  recipientIdKind: z.enum(['email', 'opaque']).default('email'),
  /** CRM column → Optimizely field name. */
  attributes: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** How values the refill could not send are handled (docs/crm.md, "Sendability"). */
  sendability: sendabilityPolicySchema.prefault({}),
});

export type ListRulesInput = z.input<typeof listRulesSchema>;
export type ListRules = z.infer<typeof listRulesSchema>;

/** Rank of an entity type under the preference; types not named rank last. */
export function entityRank(rules: Pick<ListRules, 'entityPreference'>, entityType: string): number {
  const index = rules.entityPreference.indexOf(entityType);
  return index === -1 ? rules.entityPreference.length : index;
}

/** The `crm.lists` key the export reads this list's selection under. */
export function selectionKeyOfRules(rules: Pick<ListRules, 'listKey' | 'selectionKey'>): string {
  return rules.selectionKey ?? rules.listKey;
}
