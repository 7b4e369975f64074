import { isXmlText, stripNonXml } from '../optimizely/client/codec/xml-escape';
import type { Recipient } from './recipient';
import type { SendabilityPolicy } from './sendability-policy';

// The export's check that the refill can send every value of a recipient, with the request
// writer's own functions (one authority: a value that passes here encodes there). Fields are named
// by their CRM column, as in every other exclusion.

export type SendabilityProblem = 'invalid_characters' | 'value_too_long';

/** An attribute value the export changed so it can be sent. */
export interface SanitizedField {
  field: string;
  problem: SendabilityProblem;
}

export type SendabilityResult =
  { ok: true; recipient: Recipient; sanitized: SanitizedField[] } | { ok: false; reason: SendabilityProblem; field: string };

/** The shape of `checkSendability`, so the export can name its stage's type. */
export type SendabilityCheck = (
  recipient: Recipient,
  policy: SendabilityPolicy,
  attributeColumns: Readonly<Record<string, string>>,
) => SendabilityResult;

/** Recipient properties that are sent as they are (never sanitized), by CRM column. */
const FIXED_FIELDS = [
  ['recipientId', 'recipient_id'],
  ['email', 'email'],
  ['optInId', 'opt_in_id'],
  ['description', 'description'],
  ['mediaType', 'media_type'],
  ['entityType', 'entity_type'],
  ['entityId', 'entity_id'],
] as const;

/** CRM columns sent with every recipient besides the mapped attributes. */
export const SENT_COLUMNS: readonly string[] = FIXED_FIELDS.map(([, column]) => column);

/**
 * Checks every value a recipient will carry. Fixed fields that cannot be sent exclude the row;
 * attribute values are stripped or exclude the row as the policy says. `attributeColumns` is the
 * list's CRM column → Optimizely field mapping. The input recipient is not modified.
 */
export function checkSendability(
  recipient: Recipient,
  policy: SendabilityPolicy,
  attributeColumns: Readonly<Record<string, string>>,
): SendabilityResult {
  for (const [property, column] of FIXED_FIELDS) {
    const problem = problemOf(recipient[property], limitOf(policy, column));
    if (problem !== undefined) return { ok: false, reason: problem, field: column };
  }
  let attributes: Record<string, string> | undefined;
  const sanitized: SanitizedField[] = [];
  for (const column in attributeColumns) {
    const field = attributeColumns[column] as string;
    const value = recipient.attributes[field];
    if (value === undefined) continue;
    const limit = limitOf(policy, column);
    const problem = problemOf(value, limit);
    if (problem === undefined) continue;
    if (policy.invalidAttributeValues === 'exclude') return { ok: false, reason: problem, field: column };
    attributes ??= { ...recipient.attributes };
    attributes[field] = truncate(stripNonXml(value), limit);
    sanitized.push({ field: column, problem });
  }
  return { ok: true, recipient: attributes ? { ...recipient, attributes } : recipient, sanitized };
}

/** Longest identity value (recipient id, entity type or id) an exclusion keeps in the ledger. */
export const LEDGER_IDENTITY_MAX = 320;

/** A copy of `value` any store and report can hold: without unsendable characters, cut to a bound. */
export function storableText(value: string, limit = LEDGER_IDENTITY_MAX): string {
  return truncate(isXmlText(value) ? value : stripNonXml(value), limit);
}

function limitOf(policy: SendabilityPolicy, column: string): number {
  return policy.maxLengths[column] ?? policy.maxLength;
}

/** Invalid characters are named first: they are the problem a strip removes without loss of meaning. */
function problemOf(value: string, limit: number): SendabilityProblem | undefined {
  if (!isXmlText(value)) return 'invalid_characters';
  if (value.length > limit && codePoints(value) > limit) return 'value_too_long';
  return undefined;
}

function codePoints(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    // The high half of a pair counts; its low half does not.
    if (unit < 0xdc00 || unit > 0xdfff || i === 0 || (value.charCodeAt(i - 1) & 0xfc00) !== 0xd800) n += 1;
  }
  return n;
}

/** The first `limit` code points: a cut never splits a surrogate pair. */
function truncate(value: string, limit: number): string {
  if (value.length <= limit) return value;
  let end = 0;
  let n = 0;
  for (const ch of value) {
    if (n === limit) break;
    end += ch.length;
    n += 1;
  }
  return value.slice(0, end);
}
