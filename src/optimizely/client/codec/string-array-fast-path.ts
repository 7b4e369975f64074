// A fast path for `string[]` answers (getAllAdvancedFlat pages: ~1000 rows × attributes of inline
// items, the bulk of a list read's client CPU under fast-xml-parser). Like the multiRef fast path it
// reads only the exact Axis document front to back — Envelope, Body, response element, the return
// array with its items inline (`xsi:type`, `xsi:nil="true"` self-closing for null), the closing tags —
// and declines (returns undefined) at anything else so the general reader decides: CDATA, comments,
// DOCTYPE, a Fault anywhere, hrefs/ids, unexpected attributes, a nil with content, a declared length
// that differs from the item count, raw `>` or characters XML 1.0 does not allow, any reference other
// than the five XML entities and numeric references to allowed characters, trailing content. Every
// scan is linear: sticky regexes without nested repetition over text, indexOf for the rest.
import { ownValue } from '../../../own-value';
import {
  ATTRIBUTES,
  NAME,
  S,
  attributeMap,
  closeTag,
  envelopeOpen,
  lengthAsDeclared,
  localName,
  openTag,
  type Scan,
} from './multiref-array-fast-path';
import { attributesFit } from './declared-type';

const ITEM_TAG = new RegExp(`${S}*<(${NAME})${ATTRIBUTES}(\\/?)>`, 'y');
// Characters XML 1.0 refuses (u flag: only unpaired surrogates match), and a raw `>` (Axis escapes it;
// `]]>` would not be well-formed).
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const DECLINED_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF>]/u;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const DECIMAL = /^#[0-9]{1,7}$/;
const HEX = /^#x[0-9A-Fa-f]{1,6}$/;
// The attributes whose meaning the general reader acts on (by local name, whatever the prefix).
const REFERENCE_ATTRIBUTES = new Set(['href', 'id']);

/** The decoded strings (null for nil items), or undefined when the body is not exactly the Axis shape. */
export function readStringArray(xml: string, operation: string): (string | null)[] | undefined {
  return readInlineReturn(xml, operation, stringItems);
}

/**
 * The items of the exact Axis document around an inline return array: Envelope, Body, the response,
 * its return array (expected attributes, declared length equal to the items `readItems` took up to
 * and including the array's closing tag), the closing tags and nothing after them but white space.
 * Undefined at anything else, so the general reader decides.
 */
export function readInlineReturn<T>(
  xml: string,
  operation: string,
  readItems: (scan: Scan, returnTag: string) => T[] | undefined,
): T[] | undefined {
  // No Fault check is needed: the scan accepts no element but Envelope, Body, the response and what readItems takes.
  if (xml.includes('<!')) return undefined;
  const scan: Scan = { xml, at: 0 };
  const envelopePrefix = envelopeOpen(scan);
  if (envelopePrefix === undefined) return undefined;
  const response = openTag(scan, `${operation}Response`);
  const returned = response && openTag(scan, `${operation}Return`);
  if (!response || !returned || !arrayAttributesExpected(returned.attributes)) return undefined;
  const items = readItems(scan, returned.qname);
  if (
    !items ||
    !lengthAsDeclared(returned.attributes, items.length) ||
    !closeTag(scan, response.qname) ||
    !closeTag(scan, `${envelopePrefix}:Body`) ||
    !closeTag(scan, `${envelopePrefix}:Envelope`) ||
    !/^[ \t\r\n]*$/.test(xml.slice(scan.at))
  )
    return undefined;
  return items;
}

/** The return array may carry arrayType, xsi:type and namespace declarations; nil, href or id decline. */
export function arrayAttributesExpected(attributes: Map<string, string>): boolean {
  // A declared single-value type or a repeated attribute is the general reader's to refuse.
  if (!attributesFit(attributes, 'string[]')) return false;
  for (const name of attributes.keys()) {
    const local = localName(name);
    if (local === 'nil' || REFERENCE_ATTRIBUTES.has(local)) return false;
    if (local !== 'arrayType' && local !== 'type' && !name.startsWith('xmlns')) return false;
  }
  return true;
}

/** The items up to and including the array's closing tag; each named like the array. */
export function stringItems(scan: Scan, returnTag: string): (string | null)[] | undefined {
  const out: (string | null)[] = [];
  // Items of one array repeat a few opening tags: each distinct one is checked once (itemOpen).
  const knownOpenTags: KnownOpenTags = { texts: [], nils: [] };
  const close = `</${returnTag}>`;
  for (;;) {
    if (closeTag(scan, returnTag)) return out;
    const nil = itemOpen(scan, returnTag, knownOpenTags);
    if (nil === undefined) return undefined;
    if (nil) {
      out.push(null);
      continue;
    }
    const end = scan.xml.indexOf('<', scan.at);
    const text = end < 0 ? undefined : decodeText(scan.xml.slice(scan.at, end));
    if (text === undefined || scan.xml.slice(end, end + close.length) !== close) return undefined;
    scan.at = end + close.length;
    out.push(text);
  }
}

/**
 * Reads an item's opening tag: true for a nil item (self-closing), false for a value item (not),
 * undefined to decline. A page repeats two opening tags thousands of times: an opening tag accepted
 * before is recognised by its exact text (`known`), without the pattern. The same text at another
 * position matches the pattern the same way (the match ends at the tag's one `>` outside quotes, so
 * nothing after it takes part) and gives the same answer.
 */
function itemOpen(scan: Scan, returnTag: string, known: KnownOpenTags): boolean | undefined {
  for (let k = 0; k < known.texts.length; k++) {
    const text = known.texts[k]!;
    // A slice compared whole costs less than startsWith on a two-byte page (one umlaut makes it one).
    if (scan.xml.slice(scan.at, scan.at + text.length) === text) {
      scan.at += text.length;
      return known.nils[k];
    }
  }
  ITEM_TAG.lastIndex = scan.at;
  const match = ITEM_TAG.exec(scan.xml);
  if (!match || match[1] !== returnTag) return undefined;
  const nil = itemNil(match[2]!);
  // A nil item is self-closing, a value item is not: anything else is left to the general reader.
  if (nil === undefined || nil !== (match[3] === '/')) return undefined;
  scan.at = ITEM_TAG.lastIndex;
  // Bounded: a hostile answer with a different tag per item takes the pattern every time instead.
  if (known.texts.length < KNOWN_OPEN_TAGS) {
    known.texts.push(match[0]);
    known.nils.push(nil);
  }
  return nil;
}

/** Distinct item opening tags an array remembers (the simulator and Axis write two: value and nil). */
const KNOWN_OPEN_TAGS = 4;

/** Opening tags accepted before, exactly as written, and whether each is a nil item's. */
interface KnownOpenTags {
  texts: string[];
  nils: boolean[];
}

/** True for `nil="true"`, false for no nil; undefined (decline) for any other attribute set. */
function itemNil(text: string): boolean | undefined {
  const attributes = attributeMap(text);
  if (!attributes || !attributesFit(attributes, 'string')) return undefined;
  let nil: boolean | undefined = false;
  for (const [name, value] of attributes) {
    const local = localName(name);
    if (local === 'nil') {
      // Two nil attributes (x:nil, y:nil) would leave which one counts to the reader's rules.
      if (nil || value !== 'true') return undefined;
      nil = true;
    } else if (REFERENCE_ATTRIBUTES.has(local) || (local !== 'type' && !name.startsWith('xmlns'))) return undefined;
  }
  return nil;
}

/** Element text with line ends normalised (as XML does) and references decoded; undefined to decline. */
function decodeText(raw: string): string | undefined {
  if (DECLINED_TEXT.test(raw)) return undefined;
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  let out = '';
  let from = 0;
  for (; amp >= 0; amp = text.indexOf('&', from)) {
    const semicolon = text.indexOf(';', amp);
    // No reference we decode is longer than `&#1114111;`.
    const decoded = semicolon < 0 || semicolon - amp > 10 ? undefined : xmlReference(text.slice(amp + 1, semicolon));
    if (decoded === undefined) return undefined;
    out += text.slice(from, amp) + decoded;
    from = semicolon + 1;
  }
  return out + text.slice(from);
}

/** The character a reference (`amp`, `#228`, `#xE4`) stands for, when XML 1.0 allows it; else undefined. */
export function xmlReference(name: string): string | undefined {
  // An own key only: `&toString;` or `&constructor;` found Object.prototype's member, a function the
  // fast path then wrote into the value as "function toString() { [native code] }".
  const named = ownValue(NAMED, name);
  if (named !== undefined) return named;
  const code = DECIMAL.test(name) ? Number(name.slice(1)) : HEX.test(name) ? parseInt(name.slice(2), 16) : undefined;
  return code !== undefined && isXmlChar(code) ? String.fromCodePoint(code) : undefined;
}

function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return code <= 0xd7ff || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
