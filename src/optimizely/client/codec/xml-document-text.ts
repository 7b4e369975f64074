// Whether a response holds only text XML 1.0 allows, checked before the general reader parses it.
// fast-xml-parser reads what XML refuses without a word, and the value comes back altered instead of
// refused: it drops `&#1;`, `&#0;` and `&#xD800;` (`M&#1;ller` is read as `Mller`, so a recipient id
// read from the live list could name another recipient), keeps `&foo;` and `&#x110000;` as literal
// text, decodes HTML names such as `&nbsp;`, and takes raw control characters as they are.
import { xmlReference } from './string-array-fast-path';
import { isXmlText } from './xml-escape';

/** Parts of a document where `&` is literal text, not a reference: each from its opening to its closing. */
const LITERAL_PARTS: readonly (readonly [open: string, close: string])[] = [
  ['<![CDATA[', ']]>'],
  ['<!--', '-->'],
  ['<?', '?>'],
];
/** `&` + the longest reference xmlReference decodes (`#1114111`) + `;`. */
const LONGEST_REFERENCE = 10;

/**
 * True when every character is one XML 1.0 allows and every reference outside CDATA sections,
 * comments and processing instructions is one of the five XML entities or a numeric reference to
 * such a character. Linear: each look-up moves forward only.
 */
export function isXmlDocumentText(xml: string): boolean {
  if (!isXmlText(xml)) return false;
  const literal = literalParts(xml);
  for (let amp = xml.indexOf('&'); amp >= 0;) {
    const part = literal.around(amp);
    if (part !== undefined) {
      amp = xml.indexOf('&', part);
      continue;
    }
    const semicolon = xml.indexOf(';', amp);
    if (semicolon < 0 || semicolon - amp > LONGEST_REFERENCE || xmlReference(xml.slice(amp + 1, semicolon)) === undefined) return false;
    amp = xml.indexOf('&', semicolon + 1);
  }
  return true;
}

/**
 * `around(at)`: the end of the literal part holding `at`, or undefined when `at` is outside every
 * one. Positions must be asked in increasing order; each kind's next opening is searched once per
 * part passed, so the whole walk is linear.
 */
function literalParts(xml: string) {
  const next = LITERAL_PARTS.map(([open]) => xml.indexOf(open));
  let current: { start: number; end: number } | undefined;
  const advance = (from: number) => {
    for (let k = 0; k < LITERAL_PARTS.length; k++) if (next[k]! >= 0 && next[k]! < from) next[k] = xml.indexOf(LITERAL_PARTS[k]![0], from);
    let kind = -1;
    for (let k = 0; k < LITERAL_PARTS.length; k++) if (next[k]! >= 0 && (kind < 0 || next[k]! < next[kind]!)) kind = k;
    if (kind < 0) return undefined;
    const [open, close] = LITERAL_PARTS[kind]!;
    const closing = xml.indexOf(close, next[kind]! + open.length);
    return { start: next[kind]!, end: closing < 0 ? xml.length : closing + close.length };
  };
  current = advance(0);
  return {
    around(at: number): number | undefined {
      while (current && current.end <= at) current = advance(current.end);
      return current && current.start < at ? current.end : undefined;
    },
  };
}
