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

/**
 * Recipient properties that are sent as they are (never sanitized), by CRM column. Those that
 * identify the recipient or its consent must also come back exactly as sent (see `lineEndsAsRead`).
 */
const FIXED_FIELDS = [
  ['recipientId', 'recipient_id'],
  ['email', 'email'],
  ['optInId', 'opt_in_id'],
  ['description', 'description'],
  ['mediaType', 'media_type'],
  ['entityType', 'entity_type'],
  ['entityId', 'entity_id'],
] as const;

/** Fixed fields whose line ends may be written as an XML reader gives them back: the free text. */
const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(['description']);

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
  let description: string | undefined;
  for (const [property, column] of FIXED_FIELDS) {
    const value = FREE_TEXT_FIELDS.has(column) ? lineEndsAsRead(recipient[property]) : recipient[property];
    // A CR in an identity (recipient id, address, consent, entity) would come back as LF: another id.
    const problem = value.includes('\r') ? 'invalid_characters' : problemOf(value, limitOf(policy, column));
    if (problem !== undefined) return { ok: false, reason: problem, field: column };
    if (column === 'description' && value !== recipient.description) description = value;
  }
  let attributes: Record<string, string> | undefined;
  const sanitized: SanitizedField[] = [];
  for (const column in attributeColumns) {
    const field = attributeColumns[column] as string;
    const raw = recipient.attributes[field];
    if (raw === undefined) continue;
    const value = lineEndsAsRead(raw);
    if (value !== raw) (attributes ??= { ...recipient.attributes })[field] = value;
    const limit = limitOf(policy, column);
    const problem = problemOf(value, limit);
    if (problem === undefined) continue;
    if (policy.invalidAttributeValues === 'exclude') return { ok: false, reason: problem, field: column };
    attributes ??= { ...recipient.attributes };
    attributes[field] = truncate(stripNonXml(value), limit);
    sanitized.push({ field: column, problem });
  }
  if (attributes === undefined && description === undefined) return { ok: true, recipient, sanitized };
  return {
    ok: true,
    recipient: { ...recipient, ...(description === undefined ? {} : { description }), ...(attributes ? { attributes } : {}) },
    sanitized,
  };
}

/**
 * Free text with its line ends as every XML reader hands them back: a CR (alone or before LF) is
 * read as LF (XML 1.0, "End-of-Line Handling"), so Optimizely answers a value sent with CR with LF
 * instead, and a comparison with what we hold (reconcile, plan) would find it changed every day.
 * Written as LF, it reads back exactly. The text means the same, so this is no sanitizing: not
 * counted, no ledger entry, nothing for the guard.
 */
export function lineEndsAsRead(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
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
