// Test oracle: the multiRef fast path as it was before it read items and multiRefs that repeat the
// previous one's shape with plain string look-ups (every item and multiRef through its pattern). The
// fast path must answer exactly as this does for every document
// (test/unit/optimizely/multiref-array-equivalence.test.ts). Both decline the declared types and
// repeated attributes the general reader refuses (`attributesFit`, the same function: the equivalence
// is about the look-ups, not about that rule).
import { attributesFit } from '../../src/optimizely/client/codec/declared-type';
import type { SoapScalar } from '../../src/optimizely/api/types';
import { SOAP_ENV_NS } from '../../src/optimizely/client/codec/soap-value';

// XML white space only: JavaScript's \s also matches U+FEFF, U+00A0 and other characters XML refuses there.
const S = '[ \\t\\r\\n]';
const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
/** Attributes as the fast path accepts them: double-quoted values without markup or references. */
const ATTRIBUTES = `((?:${S}+${NAME}${S}*=${S}*"[^"<&]*")*)${S}*`;
// Only a UTF-8 declaration, as the fast path since the reader refuses any other encoding (a rule, not a look-up).
const DECLARATION = `<\\?xml${S}+version="1\\.\\d"(?:${S}+encoding="[Uu][Tt][Ff]-?8")?(?:${S}+standalone="(?:yes|no)")?${S}*\\?>`;
const PROLOGUE = new RegExp(`\\uFEFF?(?:${DECLARATION})?${S}*<([A-Za-z_][\\w.-]*):Envelope${ATTRIBUTES}>${S}*<\\1:Body>${S}*`, 'y');
const OPEN_TAG = new RegExp(`${S}*<(${NAME})${ATTRIBUTES}>`, 'y');
const ITEM = new RegExp(`${S}*<(${NAME})${S}+href="#([^"<&]+)"${S}*\\/>`, 'y');
const MULTI_REF = new RegExp(`${S}*<multiRef${ATTRIBUTES}(?:\\/>|>([^<]*)<\\/multiRef>)`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})${S}*=${S}*"([^"]*)"`, 'g');
const LEADING_ID = new RegExp(`^${S}+id${S}*=${S}*"([^"]*)"`);
const DECLARED_LENGTH = /\[(\d{1,7})\]$/;

/** The decoded array, or undefined when the body is not exactly the simple Axis shape. */
export function referenceReadMultiRefArray(xml: string, operation: string, itemType: SoapScalar): (number | boolean)[] | undefined {
  if (itemType === 'string' || xml.includes('<!') || xml.includes('&') || xml.includes('nil=') || xml.includes('Fault')) return undefined;
  const scan = { xml, at: 0 };
  const envelopePrefix = envelopeOpen(scan);
  if (envelopePrefix === undefined) return undefined;
  const response = openTag(scan, `${operation}Response`);
  const returned = response && openTag(scan, `${operation}Return`);
  if (!response || !returned || !attributesFit(returned.attributes, `${itemType}[]`)) return undefined;
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

interface Scan {
  xml: string;
  at: number;
}

/** Reads the prologue up to the Body's content; the Envelope's prefix must be bound to SOAP 1.1. */
function envelopeOpen(scan: Scan): string | undefined {
  PROLOGUE.lastIndex = 0;
  const match = PROLOGUE.exec(scan.xml);
  const attributes = match && attributeMap(match[2]!);
  if (!match || !attributes || attributes.get(`xmlns:${match[1]}`) !== SOAP_ENV_NS) return undefined;
  scan.at = PROLOGUE.lastIndex;
  return match[1];
}

/** Reads `<[prefix:]local …>` (not self-closing) at the cursor. */
function openTag(scan: Scan, local: string): { qname: string; attributes: Map<string, string> } | undefined {
  OPEN_TAG.lastIndex = scan.at;
  const match = OPEN_TAG.exec(scan.xml);
  const qname = match?.[1];
  const attributes = match && attributeMap(match[2]!);
  if (!qname || !attributes || (qname !== local && !qname.endsWith(`:${local}`))) return undefined;
  scan.at = OPEN_TAG.lastIndex;
  return { qname, attributes };
}

function closeTag(scan: Scan, qname: string): boolean {
  let at = scan.at;
  while (isSpace(scan.xml.charCodeAt(at))) at++;
  const tag = `</${qname}>`;
  if (!scan.xml.startsWith(tag, at)) return false;
  scan.at = at + tag.length;
  return true;
}

/** The href targets of the array's items, up to and including the array's closing tag. */
function items(scan: Scan, returnTag: string): string[] | undefined {
  const hrefs: string[] = [];
  for (;;) {
    if (closeTag(scan, returnTag)) return hrefs;
    ITEM.lastIndex = scan.at;
    const match = ITEM.exec(scan.xml);
    if (!match) return undefined;
    hrefs.push(match[2]!);
    scan.at = ITEM.lastIndex;
  }
}

// Another id (the general reader reads any prefix) or an href would make the value depend on reading rules.
const REFERENCE_ATTRIBUTES = new Set(['id', 'href']);

/** multiRef values by id; undefined (decline) for a repeated id or a multiRef that refers on. */
function multiRefs(scan: Scan, itemType: SoapScalar): Map<string, string> | undefined {
  const values = new Map<string, string>();
  // The attributes after the id are the same for every multiRef of a type: each distinct tail is checked once.
  const checkedTails = new Set<string>();
  for (;;) {
    MULTI_REF.lastIndex = scan.at;
    const match = MULTI_REF.exec(scan.xml);
    if (!match) return values;
    const text = match[1]!;
    const id = LEADING_ID.exec(text);
    const tail = id ? text.slice(id[0].length) : text;
    if (!checkedTails.has(tail)) {
      const attributes = attributeMap(tail);
      if (
        !attributes ||
        !attributesFit(attributes, itemType) ||
        [...attributes.keys()].some((name) => REFERENCE_ATTRIBUTES.has(localName(name)))
      )
        return undefined;
      checkedTails.add(tail);
    }
    if (id) {
      if (values.has(id[1]!)) return undefined;
      values.set(id[1]!, match[2] ?? '');
    }
    scan.at = MULTI_REF.lastIndex;
  }
}

/** The attributes of a tag by qualified name; undefined when one is repeated (not well-formed). */
function attributeMap(text: string): Map<string, string> | undefined {
  const attributes = new Map<string, string>();
  for (const [, name, value] of text.matchAll(ATTRIBUTE)) {
    if (attributes.has(name!)) return undefined;
    attributes.set(name!, value!);
  }
  return attributes;
}

/** A declared `soapenc:arrayType="xsd:int[n]"` must match the items present. */
function lengthAsDeclared(attributes: Map<string, string>, count: number): boolean {
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

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
