// How deeply a document nests its elements, counted before the parser runs. fast-xml-parser stops at
// its own nesting limit (100) with an error the reader could only report as "not well-formed XML",
// which sent whoever read it looking for broken markup in a document that was well-formed but
// hostile. An Axis answer nests at most six deep (Envelope, Body, response, return array, row, item;
// a fault's detail a little deeper), so a document deeper than MAX_ELEMENT_DEPTH is refused with that
// reason, whatever else is wrong with it.

/** Deepest element nesting the reader accepts (the Envelope is depth 1). */
export const MAX_ELEMENT_DEPTH = 32;

/**
 * True when some element sits deeper than `limit`. One pass over the text: comments, CDATA sections
 * and processing instructions are skipped, quoted attribute values may hold `>`. On text that is not
 * well-formed the count may be off; the validator refuses such text anyway.
 */
export function nestsDeeperThan(xml: string, limit: number = MAX_ELEMENT_DEPTH): boolean {
  let depth = 0;
  for (let at = xml.indexOf('<'); at >= 0; at = xml.indexOf('<', at)) {
    const next = xml.charCodeAt(at + 1);
    if (next === 0x21 /* ! */) {
      const close = xml.startsWith('<!--', at) ? '-->' : xml.startsWith('<![CDATA[', at) ? ']]>' : '>';
      const end = xml.indexOf(close, at + 2);
      if (end < 0) return false;
      at = end + close.length;
    } else if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', at + 2);
      if (end < 0) return false;
      at = end + 2;
    } else if (next === 0x2f /* / */) {
      depth -= 1;
      at += 2;
    } else {
      const end = tagEnd(xml, at + 1);
      if (end < 0) return false;
      if (xml.charCodeAt(end - 1) !== 0x2f && ++depth > limit) return true;
      at = end + 1;
    }
  }
  return false;
}

/** The index of the `>` that ends the tag opened before `from`, skipping quoted attribute values; -1 if none. */
function tagEnd(xml: string, from: number): number {
  for (let at = from; at < xml.length; at++) {
    const c = xml.charCodeAt(at);
    if (c === 0x3e) return at;
    if (c === 0x22 || c === 0x27) {
      const close = xml.indexOf(c === 0x22 ? '"' : "'", at + 1);
      if (close < 0) return -1;
      at = close;
    }
  }
  return -1;
}
