// A fast path for the hottest response shape: an int/long/boolean array written as href items plus
// multiRef siblings (addAll3 answers 1000 result codes this way, ~220 KB of markup). fast-xml-parser
// spends most of a refill's client CPU building a tree of 2000 elements for it (see
// bench/soap-refill). This scanner reads only that exact Axis shape and declines (returns
// undefined) at anything else — entities, CDATA, comments, DOCTYPE, nil, faults, inline items — so
// the general reader handles and validates every other case. Tests check both agree.
import type { SoapScalar } from '../../api/types';

const ITEM = /<([\w.:-]+)\s+href="#([^"]+)"\s*\/>/y;
const MULTI_REF = /<multiRef\s([^>]*?)(\/?)>([^<]*)(?:<\/multiRef>)?/g;
const ID_ATTR = /(?:^|\s)id="([^"]+)"/;

/** The decoded array, or undefined when the body is not exactly the simple Axis shape. */
export function readMultiRefArray(xml: string, operation: string, itemType: SoapScalar): (number | boolean)[] | undefined {
  if (itemType === 'string' || xml.includes('<!') || xml.includes('&') || xml.includes('nil=')) return undefined;
  const responseAt = xml.indexOf(`${operation}Response`);
  if (responseAt < 0 || xml.includes(':Fault')) return undefined;
  const returnStart = xml.indexOf(`<${operation}Return`, responseAt);
  const returnOpen = returnStart < 0 ? -1 : xml.indexOf('>', returnStart);
  const returnClose = xml.indexOf(`</${operation}Return>`, responseAt);
  if (returnOpen < 0 || returnClose < returnOpen || xml[returnOpen - 1] === '/') return undefined;
  const hrefs: string[] = [];
  ITEM.lastIndex = returnOpen + 1;
  while (ITEM.lastIndex < returnClose) {
    const match = ITEM.exec(xml);
    if (!match) return undefined;
    hrefs.push(match[2]!);
  }
  const values = multiRefValues(xml, returnClose);
  const out: (number | boolean)[] = new Array(hrefs.length);
  for (let i = 0; i < hrefs.length; i++) {
    const text = values.get(hrefs[i]!);
    const value = text === undefined ? undefined : scalar(text, itemType);
    if (value === undefined) return undefined;
    out[i] = value;
  }
  return out;
}

function multiRefValues(xml: string, from: number): Map<string, string> {
  const values = new Map<string, string>();
  MULTI_REF.lastIndex = from;
  for (let match = MULTI_REF.exec(xml); match; match = MULTI_REF.exec(xml)) {
    const id = ID_ATTR.exec(match[1]!)?.[1];
    if (id !== undefined) values.set(id, match[2] === '/' ? '' : match[3]!);
  }
  return values;
}

function scalar(text: string, type: SoapScalar): number | boolean | undefined {
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined;
  if (!/^-?\d{1,16}$/.test(text)) return undefined;
  const value = Number(text);
  if (type === 'int') return value >= -2147483648 && value <= 2147483647 ? value : undefined;
  return Number.isSafeInteger(value) ? value : undefined;
}
