// A fast path for the hottest response shape: an int/long/boolean array written as href items plus
// multiRef siblings (addAll3 answers 1000 result codes this way, ~220 KB of markup). fast-xml-parser
// spends most of a refill's client CPU building a tree of 2000 elements for it (see
// bench/soap-refill). This scanner reads only that exact Axis document, front to back — an Envelope
// in the SOAP namespace, its Body, the response element, the return array, multiRefs, the closing
// tags, nothing else — and declines (returns undefined) at anything else: entities, CDATA, comments,
// DOCTYPE, nil, a Fault anywhere, inline items, text or elements outside that shape, and any tag that
// is not well-formed (a bad name, an attribute without a quoted value, a repeated attribute). The
// general reader handles and validates every case it declines. Tests check both agree.
import type { SoapScalar } from '../../api/types';
import { SOAP_ENV_NS } from './soap-value';
import { attributesFit } from './declared-type';

// XML white space only: JavaScript's \s also matches U+FEFF, U+00A0 and other characters XML refuses there.
export const S = '[ \\t\\r\\n]';
export const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
/**
 * A character of an attribute value as the patterns take it: no quote, no markup, no reference, and
 * none XML 1.0 refuses (the general reader refuses a document holding one; surrogates, even paired,
 * are left to it too).
 */
const VALUE_CHAR = '[^"<&\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uD800-\\uDFFF\\uFFFE\\uFFFF]';
/** Attributes as the fast path accepts them: double-quoted values without markup or references. */
export const ATTRIBUTES = `((?:${S}+${NAME}${S}*=${S}*"${VALUE_CHAR}*")*)${S}*`;
// Only UTF-8 may be declared (isUtf8Name): the reader refuses any other encoding before a fast path
// runs, and a fast path on its own must not accept what the general reader refuses.
const DECLARATION = `<\\?xml${S}+version="1\\.\\d"(?:${S}+encoding="[Uu][Tt][Ff]-?8")?(?:${S}+standalone="(?:yes|no)")?${S}*\\?>`;
const PROLOGUE = new RegExp(`\\uFEFF?(?:${DECLARATION})?${S}*<([A-Za-z_][\\w.-]*):Envelope${ATTRIBUTES}>${S}*<\\1:Body>${S}*`, 'y');
const OPEN_TAG = new RegExp(`${S}*<(${NAME})${ATTRIBUTES}>`, 'y');
const ITEM = new RegExp(`${S}*<(${NAME})${S}+href="#(${VALUE_CHAR}+)"${S}*\\/>`, 'y');
// An attribute value as the patterns take it.
const PLAIN_VALUE = new RegExp(`^${VALUE_CHAR}*$`);
const MULTI_REF = new RegExp(`${S}*<multiRef${ATTRIBUTES}(?:\\/>|>([^<]*)<\\/multiRef>)`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})${S}*=${S}*"([^"]*)"`, 'g');
const LEADING_ID = new RegExp(`^${S}+id${S}*=${S}*"([^"]*)"`);
const DECLARED_LENGTH = /\[(\d{1,7})\]$/;

/** The decoded array, or undefined when the body is not exactly the simple Axis shape. */
export function readMultiRefArray(xml: string, operation: string, itemType: SoapScalar): (number | boolean)[] | undefined {
  if (itemType === 'string' || xml.includes('<!') || xml.includes('&') || xml.includes('nil=') || xml.includes('Fault')) return undefined;
  const scan = { xml, at: 0 };
  const envelopePrefix = envelopeOpen(scan);
  if (envelopePrefix === undefined) return undefined;
  const response = openTag(scan, `${operation}Response`);
  const returned = response && openTag(scan, `${operation}Return`);
  if (!response || !returned || !attributesFit(returned.attributes, `${itemType}[]`)) return undefined;
  // An id on the response beside a multiRef's makes hrefs ambiguous; an href on the array sends the
  // general reader elsewhere than the items in front of it: either way the general reader decides.
  if (refersOrIsReferred(response.attributes) || refersOrIsReferred(returned.attributes)) return undefined;
  const hrefs = items(scan, returned.qname);
  if (!hrefs || !closeTag(scan, response.qname) || !lengthAsDeclared(returned.attributes, hrefs.length)) return undefined;
  const values = multiRefs(scan, itemType);
  if (
    !values ||
    !closeTag(scan, `${envelopePrefix}:Body`) ||
    !closeTag(scan, `${envelopePrefix}:Envelope`) ||
    !/^[ \t\r\n]*$/.test(xml.slice(scan.at))
  )
    return undefined;
  const out: (number | boolean)[] = new Array(hrefs.length);
  for (let i = 0; i < hrefs.length; i++) {
    const text = values.get(hrefs[i]!);
    const value = text === undefined ? undefined : scalar(text, itemType);
    if (value === undefined) return undefined;
    out[i] = value;
  }
  return out;
}

export interface Scan {
  xml: string;
  at: number;
}

/** Reads the prologue up to the Body's content; the Envelope's prefix must be bound to SOAP 1.1. */
export function envelopeOpen(scan: Scan): string | undefined {
  PROLOGUE.lastIndex = 0;
  const match = PROLOGUE.exec(scan.xml);
  const attributes = match && attributeMap(match[2]!);
  if (!match || !attributes || attributes.get(`xmlns:${match[1]}`) !== SOAP_ENV_NS) return undefined;
  scan.at = PROLOGUE.lastIndex;
  return match[1];
}

/** Reads `<[prefix:]local …>` (not self-closing) at the cursor. */
export function openTag(scan: Scan, local: string): { qname: string; attributes: Map<string, string> } | undefined {
  OPEN_TAG.lastIndex = scan.at;
  const match = OPEN_TAG.exec(scan.xml);
  const qname = match?.[1];
  const attributes = match && attributeMap(match[2]!);
  if (!qname || !attributes || (qname !== local && !qname.endsWith(`:${local}`))) return undefined;
  scan.at = OPEN_TAG.lastIndex;
  return { qname, attributes };
}

export function closeTag(scan: Scan, qname: string): boolean {
  let at = scan.at;
  while (isSpace(scan.xml.charCodeAt(at))) at++;
  // Called before every array item: no `</` here is the common answer, found without building the tag.
  if (scan.xml.charCodeAt(at) !== 0x3c || scan.xml.charCodeAt(at + 1) !== 0x2f) return false;
  const tag = `</${qname}>`;
  if (!scan.xml.startsWith(tag, at)) return false;
  scan.at = at + tag.length;
  return true;
}

/** The href targets of the array's items, up to and including the array's closing tag. */
function items(scan: Scan, returnTag: string): string[] | undefined {
  const hrefs: string[] = [];
  // The opening of the item the pattern last matched (`<name href="#`): the next item opening the
  // same way is read with plain string look-ups, anything else goes through the pattern again.
  let opening: string | undefined;
  for (;;) {
    if (closeTag(scan, returnTag)) return hrefs;
    const href = opening === undefined ? undefined : sameItem(scan, opening);
    if (href !== undefined) {
      hrefs.push(href);
      continue;
    }
    ITEM.lastIndex = scan.at;
    const match = ITEM.exec(scan.xml);
    if (!match) return undefined;
    hrefs.push(match[2]!);
    opening = `<${match[1]!} href="#`;
    scan.at = ITEM.lastIndex;
  }
}

/** `<name href="#id"/>` after white space, opening exactly as `opening` and with an id the pattern takes; else undefined. */
function sameItem(scan: Scan, opening: string): string | undefined {
  const { xml } = scan;
  let at = scan.at;
  while (isSpace(xml.charCodeAt(at))) at++;
  if (!xml.startsWith(opening, at)) return undefined;
  const from = at + opening.length;
  const to = xml.indexOf('"', from);
  if (to <= from || !xml.startsWith('"/>', to)) return undefined;
  const id = xml.slice(from, to);
  if (!PLAIN_VALUE.test(id)) return undefined;
  scan.at = to + 3;
  return id;
}

// Another id (the general reader reads any prefix) or an href would make the value depend on reading rules.
const REFERENCE_ATTRIBUTES = new Set(['id', 'href']);

const refersOrIsReferred = (attributes: ReadonlyMap<string, string>): boolean =>
  [...attributes.keys()].some((name) => REFERENCE_ATTRIBUTES.has(localName(name)));

/** multiRef values by id; undefined (decline) for a repeated id or a multiRef that refers on. */
function multiRefs(scan: Scan, itemType: SoapScalar): Map<string, string> | undefined {
  const values = new Map<string, string>();
  // The attributes after the id are the same for every multiRef of a type: each distinct tail is checked once.
  const checkedTails = new Set<string>();
  // The tail of the multiRef the pattern last matched: the next one with the same tail is read by sameMultiRef.
  let lastTail: string | undefined;
  for (;;) {
    const same = lastTail === undefined ? undefined : sameMultiRef(scan, lastTail);
    if (same) {
      if (values.has(same.id)) return undefined;
      values.set(same.id, same.value);
      continue;
    }
    MULTI_REF.lastIndex = scan.at;
    const match = MULTI_REF.exec(scan.xml);
    if (!match) return values;
    const text = match[1]!;
    const id = LEADING_ID.exec(text);
    const tail = id ? text.slice(id[0].length) : text;
    if (!checkedTails.has(tail)) {
      const attributes = attributeMap(tail);
      if (!attributes || !attributesFit(attributes, itemType) || refersOrIsReferred(attributes)) return undefined;
      checkedTails.add(tail);
    }
    if (id) {
      if (values.has(id[1]!)) return undefined;
      values.set(id[1]!, match[2] ?? '');
    }
    lastTail = tail;
    scan.at = MULTI_REF.lastIndex;
  }
}

/**
 * `<multiRef id="…"` + `tail` + `>value</multiRef>` (or `/>`) after white space, where `tail` is the
 * checked tail of the multiRef before: read with plain string look-ups, exactly what the pattern
 * would match there. Undefined for anything else, which then goes through the pattern.
 */
function sameMultiRef(scan: Scan, tail: string): { id: string; value: string } | undefined {
  const { xml } = scan;
  let at = scan.at;
  while (isSpace(xml.charCodeAt(at))) at++;
  if (!xml.startsWith(MULTI_REF_ID, at)) return undefined;
  const idFrom = at + MULTI_REF_ID.length;
  const idTo = xml.indexOf('"', idFrom);
  const tagEnd = idTo < 0 ? -1 : xml.indexOf('>', idTo);
  if (tagEnd < 0) return undefined;
  // The tag's text after the id, without the white space and `/` before its `>`, must be the tail
  // itself (compared whole: one comparison instead of a character loop). It then holds no `>`, so
  // `tagEnd` is the tag's end.
  const selfClosing = xml.charCodeAt(tagEnd - 1) === 0x2f;
  let tailEnd = selfClosing ? tagEnd - 1 : tagEnd;
  while (tailEnd > idTo + 1 && isSpace(xml.charCodeAt(tailEnd - 1))) tailEnd--;
  if (xml.slice(idTo + 1, tailEnd) !== tail) return undefined;
  const id = xml.slice(idFrom, idTo);
  if (!PLAIN_VALUE.test(id)) return undefined;
  if (selfClosing) {
    scan.at = tagEnd + 1;
    return { id, value: '' };
  }
  const valueTo = xml.indexOf('<', tagEnd + 1);
  if (valueTo < 0 || !xml.startsWith(MULTI_REF_CLOSE, valueTo)) return undefined;
  scan.at = valueTo + MULTI_REF_CLOSE.length;
  return { id, value: xml.slice(tagEnd + 1, valueTo) };
}

const MULTI_REF_ID = '<multiRef id="';
const MULTI_REF_CLOSE = '</multiRef>';

/** The attributes of a tag by qualified name; undefined when one is repeated (not well-formed). */
export function attributeMap(text: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>();
  for (const [, name, value] of text.matchAll(ATTRIBUTE)) {
    if (attributes.has(name!)) return undefined;
    attributes.set(name!, value!);
  }
  return attributes;
}

/** A declared `soapenc:arrayType="xsd:int[n]"` must match the items present. */
export function lengthAsDeclared(attributes: Map<string, string>, count: number): boolean {
  for (const [name, value] of attributes) {
    if (localName(name) !== 'arrayType') continue;
    const declared = DECLARED_LENGTH.exec(value);
    if (!declared || Number(declared[1]) !== count) return false;
  }
  return true;
}

function scalar(text: string, type: SoapScalar): number | boolean | undefined {
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (!/^-?\d{1,16}$/.test(text)) return undefined;
  const value = Number(text);
  if (type === 'int') return value >= -2147483648 && value <= 2147483647 ? value : undefined;
  return Number.isSafeInteger(value) ? value : undefined;
}

export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
