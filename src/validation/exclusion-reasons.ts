// The closed set of reasons a CRM row is excluded from a snapshot (docs/crm.md, "Reason codes").
// They are stored in the ledger, so renaming one is a data migration.
import { CUT_LAST_LINE } from '../csv/cut-last-line';

export const EXCLUSION_REASONS = [
  /** A required column is absent, null or blank; `field` names it. */
  'missing_field',
  /** The row carries another advertising consent (opt-in id) than the list's. */
  'consent_mismatch',
  /** The row's media type is not the list's. */
  'media_type_mismatch',
  /** `entity_type` is not in the configured set. */
  'unknown_entity_type',
  /** The e-mail address (or an e-mail recipient id) fails the e-mail rule. */
  'invalid_email',
  /** The address's domain is in Unicode and the list's `idnDomains` policy is `reject` (the default). */
  'idn_domain',
  /** The CRM says the entity withdrew the list's consent. */
  'consent_withdrawn',
  /** The entity is bounced (CRM column or the suppression ledger). */
  'bounced',
  /** The recipient unsubscribed (CRM column, the suppression ledger or Optimizely's unsubscribe list). */
  'unsubscribed',
  /** The CRM granted the consent after an unsubscribe at Optimizely: a re-subscription needs an opt-in process. */
  'resubscribe_needs_optin',
  /**
   * The CRM's consent time has no zone and may name an instant before the unsubscribe at Optimizely
   * (within ±14 h of it): not read as a re-grant, whatever the list allows.
   */
  'resubscribe_zone_unknown',
  /**
   * An earlier export read the CRM withdrawing the list's consent for this recipient id or address;
   * today the row is not withdrawn, but its consent time (`consent_granted_at`) does not prove a grant
   * in a later second: a cleared flag is no new consent (docs/crm.md, "Suppression ledger").
   */
  'withdrawal_not_regranted',
  /** Another row with the same recipient id won by the entity preference. */
  'duplicate',
  /** A value holds characters the refill cannot send (XML 1.0); `field` names it (docs/crm.md, "Sendability"). */
  'invalid_characters',
  /** A value is longer than the field's limit; `field` names it. */
  'value_too_long',
  /** A cell has no text form (an invalid date, NaN, a JSON object, bytes that are not UTF-8); `field` names its column. */
  'unreadable_value',
  /** The CSV exchange file's line could not be parsed (a stray quote, ...); `field` is `line`. */
  'malformed_row',
  /**
   * The CSV exchange file's last line is not ended by a line break (`lastLineWithoutEnd: exclude`):
   * the file may have been cut in it, and a cut cell is another value. `field` is `line <n> (no_line_end)`.
   */
  CUT_LAST_LINE,
  /**
   * Optimizely refused this recipient with exactly these values in an earlier refill (ledgered
   * `rejected`); sending them again would only cost the refused call. `field` is the Optimizely field
   * the fault named, or `recipient_id` when it named none (docs/crm.md, "Refused before").
   */
  'rejected_before',
] as const;

export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** One counter per reason, all zero. */
export function zeroReasonCounts(): Record<ExclusionReason, number> {
  return Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
}
