import { crmCell, type CrmRow } from '../crm/crm-port';
import { cellText } from './cell-text';
import { mayBeListConsent, mayBeListMedium } from './doubtful-consent';
import { checkEmail, type EmailCheck } from './email-rule';
import type { ExclusionReason } from './exclusion-reasons';
import type { ListRules } from './list-rules';
import type { Recipient } from './recipient';

// Checks run in a fixed order and the first failure decides the reason (docs/crm.md): a row of
// another consent is `consent_mismatch` even when its address is also invalid.
// Except an opt-out the CRM states for what may be the list's consent and medium, which always decides first.

export type RowValidation =
  | {
      ok: true;
      recipient: Recipient;
      /** An address's Unicode domain was converted to punycode (list policy `idnDomains`). */ idnConverted: boolean;
    }
  | { ok: false; reason: ExclusionReason; field: string; rowNumber: number };

/** The required columns, in the order their absence is reported. */
export const REQUIRED_COLUMNS = ['recipient_id', 'email', 'opt_in_id', 'media_type', 'entity_type', 'entity_id'] as const;

/** Every column a list's selection must return: the required ones, `description` and the mapped attributes. */
export function selectionColumns(attributes: Readonly<Record<string, string>>): string[] {
  return [...REQUIRED_COLUMNS, 'description', ...Object.keys(attributes)];
}

/**
 * The values a recipient is told apart and found again by: de-duplication compares recipient ids,
 * feedback comes back under the entity id. U+FFFD in one is a character lost on the way: a driver
 * decoding text that is not UTF-8 (better-sqlite3 and pg do so silently: a Latin-1 `Müller` and
 * `Möller` both read `M\uFFFDller`) writes it for whatever byte it could not read. Two ids that lost
 * different characters read as one, so such a value is unread, never merged with another or sent as
 * an entity id the CRM does not hold.
 */
const KEY_COLUMNS: ReadonlySet<string> = new Set(['recipient_id', 'entity_id']);
const REPLACEMENT_CHARACTER = '\uFFFD';

type RequiredValues = Record<(typeof REQUIRED_COLUMNS)[number], string> & { description?: string };

/** The trimmed required values, or the first column (in REQUIRED_COLUMNS order) that is absent, blank or unreadable. */
function requiredValues(raw: CrmRow): RequiredValues | { reason: 'missing_field' | 'unreadable_value'; field: string } {
  const out: Partial<Record<string, string>> = {};
  for (const column of REQUIRED_COLUMNS) {
    const cell = cellText(crmCell(raw, column));
    if (cell.kind === 'unreadable') return { reason: 'unreadable_value', field: column };
    const value = cell.kind === 'text' ? cell.text.trim() : '';
    if (value === '') return { reason: 'missing_field', field: column };
    if (KEY_COLUMNS.has(column) && value.includes(REPLACEMENT_CHARACTER)) return { reason: 'unreadable_value', field: column };
    out[column] = value;
  }
  // The description is optional: absent, blank or unreadable, it travels empty.
  const description = cellText(crmCell(raw, 'description'));
  if (description.kind === 'text' && description.text.trim() !== '') out['description'] = description.text.trim();
  return out as RequiredValues;
}

/** Optional CRM columns that suppress a row when truthy, in the order they are checked. */
export const SUPPRESSION_COLUMNS = [
  ['consent_withdrawn', 'consent_withdrawn'],
  ['bounced', 'bounced'],
  ['unsubscribed', 'unsubscribed'],
] as const;

export function validateRow(raw: CrmRow, rules: ListRules, rowNumber: number): RowValidation {
  const fail = (reason: ExclusionReason, field: string): RowValidation => ({ ok: false, reason, field, rowNumber });
  // An opt-out the CRM states for this list's consent and medium decides before anything else is
  // wrong with the row: a restore leaves out only people today's export excluded for consent, so an
  // unsubscribe must not hide behind a broken address or a blank field.
  const optOut = statedOptOut(raw, rules);
  if (optOut !== undefined) return fail(optOut, optOut);
  const row = requiredValues(raw);
  if ('reason' in row) return fail(row.reason, row.field);
  if (row.opt_in_id !== rules.optInId) return fail('consent_mismatch', 'opt_in_id');
  if (row.media_type.toLowerCase() !== rules.mediaType.toLowerCase()) return fail('media_type_mismatch', 'media_type');
  const entityType = row.entity_type.toLowerCase();
  if (!rules.entityTypes.includes(entityType)) return fail('unknown_entity_type', 'entity_type');
  const email = checkEmail(row.email, rules);
  if (!email.ok) return fail(emailReason(email), 'email');
  const id: EmailCheck =
    rules.recipientIdKind === 'email' ? checkEmail(row.recipient_id, rules) : { ok: true, address: row.recipient_id, idnConverted: false };
  if (!id.ok) return fail(emailReason(id), 'recipient_id');
  const attributes = mapAttributes(raw, rules.attributes);
  if (typeof attributes === 'string') return fail('unreadable_value', attributes);
  const recipient: Recipient = {
    recipientId: id.address,
    email: email.address,
    optInId: row.opt_in_id,
    description: row.description ?? '',
    mediaType: rules.mediaType,
    entityType,
    entityId: row.entity_id,
    attributes,
  };
  return { ok: true, recipient, idnConverted: email.idnConverted || id.idnConverted };
}

/**
 * The first truthy CRM suppression column of a row that may be of the list's consent and medium, else
 * undefined. "May be": an opt-out under a form of the consent or medium a person reads as the list's,
 * or under none, is not ignored (doubtful-consent.ts).
 */
export function statedOptOut(raw: CrmRow, rules: ListRules): (typeof SUPPRESSION_COLUMNS)[number][1] | undefined {
  return optOutOfAnyReading([raw], rules);
}

/**
 * `statedOptOut` over the readings a line may have (a CSV line wider than its header: which of its
 * cells is which column is unknown): an opt-out any reading states, when any reading's consent and
 * any reading's medium may be the list's. Every cell of the line's true reading is in some reading,
 * so this never misses an opt-out it states (and may see one it does not: doubt excludes).
 */
export function optOutOfAnyReading(readings: readonly CrmRow[], rules: ListRules): (typeof SUPPRESSION_COLUMNS)[number][1] | undefined {
  // The opt-out first: most rows state none, and they need no folding of their consent.
  const stated = readings.flatMap((raw) => SUPPRESSION_COLUMNS.filter(([column]) => truthy(crmCell(raw, column))))[0]?.[1];
  if (stated === undefined) return undefined;
  if (!readings.some((raw) => mayBeListConsent(crmCell(raw, 'opt_in_id'), rules.optInId))) return undefined;
  return readings.some((raw) => mayBeListMedium(crmCell(raw, 'media_type'), rules.mediaType)) ? stated : undefined;
}

/** A Unicode domain under the default policy has its own reason, so the operator sees the policy to change. */
function emailReason(check: Extract<EmailCheck, { ok: false }>): ExclusionReason {
  return check.breach === 'idn_domain' ? 'idn_domain' : 'invalid_email';
}

/** Optimizely field → value (absent cells travel empty), or the first CRM column whose cell has no text form. */
function mapAttributes(raw: CrmRow, mapping: Readonly<Record<string, string>>): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [column, field] of Object.entries(mapping)) {
    const cell = cellText(crmCell(raw, column));
    if (cell.kind === 'unreadable') return column;
    out[field] = cell.kind === 'text' ? cell.text : '';
  }
  return out;
}

const NOT_SET_TEXT: ReadonlySet<string> = new Set(['', '0', 'f', 'false', 'n', 'no', 'null']);

/**
 * Whether an opt-out column is set. Only a clear "not set" counts as not set: absent, null, false,
 * 0, and the strings ''/0/f/false/n/no/null (any case, trimmed). Anything else (1, yes, a withdrawal
 * date, a bounce count, a word the CRM uses) is set: an opt-out the export cannot read is an opt-out,
 * never a reason to send.
 */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === 0n) return false;
  const cell = cellText(value);
  return cell.kind !== 'text' || !NOT_SET_TEXT.has(cell.text.trim().toLowerCase());
}
