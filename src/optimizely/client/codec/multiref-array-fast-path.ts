// A fast path for the hottest response shape: an int/long/boolean array written as href items plus
// multiRef siblings (addAll3 answers 1000 result codes this way, ~220 KB of markup). fast-xml-parser
// spends most of a refill's client CPU building a tree of 2000 elements for it (see
// bench/soap-refill). This scanner reads only that exact Axis document, front to back — an Envelope
// in the SOAP namespace, its Body, the response element, the return array, multiRefs, the closing
// tags, nothing else — and declines (returns undefined) at anything else: entities, CDATA, comments,
// DOCTYPE, nil, a Fault anywhere, inline items, text or elements outside that shape. The general
// reader handles and validates every case it declines. Tests check both agree.
import type { SoapScalar } from '../../api/types';
import { SOAP_ENV_NS } from './soap-value';

const PROLOGUE = /\uFEFF?(?:<\?xml[^<>?]*\?>)?\s*<([A-Za-z_][\w.-]*):Envelope(\s[^<>]*)?>\s*<\1:Body>\s*/y;
const ITEM = /\s*<([\w.:-]+)\s+href="#([^"]+)"\s*\/>/y;
const MULTI_REF = /\s*<multiRef\s([^<>]*?)(?:\/>|>([^<]*)<\/multiRef>)/y;
const ID_ATTR = /(?:^|\s)id="([^"]+)"/;

/** The decoded array, or undefined when the body is not exactly the simple Axis shape. */
export function readMultiRefArray(xml: string, operation: string, itemType: SoapScalar): (number | boolean)[] | undefined {
  if (itemType === 'string' || xml.includes('<!') || xml.includes('&') || xml.includes('nil=') || xml.includes('Fault')) return undefined;
  const scan = { xml, at: 0 };
  const envelopePrefix = envelopeOpen(scan);
  if (envelopePrefix === undefined) return undefined;
  const responseTag = openTag(scan, `${operation}Response`);
  const returnTag = responseTag && openTag(scan, `${operation}Return`);
  if (!responseTag || !returnTag) return undefined;
  const hrefs = items(scan, returnTag);
  if (!hrefs || !closeTag(scan, responseTag)) return undefined;
  const values = multiRefs(scan);
  if (!closeTag(scan, `${envelopePrefix}:Body`) || !closeTag(scan, `${envelopePrefix}:Envelope`) || xml.slice(scan.at).trim() !== '')
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
  if (!match || !(match[2] ?? '').includes(`xmlns:${match[1]}="${SOAP_ENV_NS}"`)) return undefined;
  scan.at = PROLOGUE.lastIndex;
  return match[1];
}

/** Reads `<[prefix:]local …>` (not self-closing) at the cursor; returns the qualified name. */
function openTag(scan: Scan, local: string): string | undefined {
  const { xml } = scan;
  let at = scan.at;
  while (isSpace(xml.charCodeAt(at))) at++;
  if (xml.charCodeAt(at) !== 0x3c /* < */) return undefined;
  const gt = xml.indexOf('>', at);
  if (gt < 0 || xml.charCodeAt(gt - 1) === 0x2f /* / */) return undefined;
  const space = xml.slice(at + 1, gt).search(/\s/);
  const qname = xml.slice(at + 1, space < 0 ? gt : at + 1 + space);
  if (qname !== local && !qname.endsWith(`:${local}`)) return undefined;
  scan.at = gt + 1;
  return qname;
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

function multiRefs(scan: Scan): Map<string, string> {
  const values = new Map<string, string>();
  for (;;) {
    MULTI_REF.lastIndex = scan.at;
    const match = MULTI_REF.exec(scan.xml);
    if (!match) return values;
    const id = ID_ATTR.exec(match[1]!)?.[1];
    if (id !== undefined) values.set(id, match[2] ?? '');
    scan.at = MULTI_REF.lastIndex;
  }
}

function scalar(text: string, type: SoapScalar): number | boolean | undefined {
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (!/^-?\d{1,16}$/.test(text)) return undefined;
  const value = Number(text);
  if (type === 'int') return value >= -2147483648 && value <= 2147483647 ? value : undefined;
  return Number.isSafeInteger(value) ? value : undefined;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
