// The one authority on which text the SOAP requests can carry. XML 1.0 allows tab, LF, CR,
// U+0020–U+D7FF, U+E000–U+FFFD and the supplementary planes; a lone surrogate has no UTF-8 form at
// all (Node would silently write U+FFFD for it). The request writer refuses such text, and the export
// checks every value with these same functions before a snapshot is written (docs/crm.md, "Sendability").
// With the u flag a surrogate range matches only unpaired halves: a valid pair is one code point.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;
// eslint-disable-next-line no-control-regex -- as above
const NOT_XML_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const MARKUP_TEST = /[&<>\r]/;
// Any code unit either test above can match (without the u flag a surrogate pair matches too): text
// without one is valid and needs no escaping, the common case, decided by one scan instead of two.
// eslint-disable-next-line no-control-regex -- as above
const ANY_SPECIAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F&<>\r\uD800-\uDFFF\uFFFE\uFFFF]/;
const MARKUP = /[&<>\r]/g;
const REPLACEMENT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** True when every character of `text` can travel in an XML 1.0 request. */
export function isXmlText(text: string): boolean {
  return !NOT_XML.test(text);
}

/** `text` without the characters XML 1.0 cannot carry (the export's `strip` for attribute values). */
export function stripNonXml(text: string): string {
  return text.replace(NOT_XML_ALL, '');
}

/**
 * Escapes text content; returns undefined for text that XML 1.0 cannot represent (control
 * characters, lone surrogates), so the caller can name the field without echoing the value.
 */
export function escapeXmlText(text: string): string | undefined {
  if (!ANY_SPECIAL.test(text)) return text;
  if (!isXmlText(text)) return undefined;
  // Escape (CR too, so XML line-ending normalisation does not turn it into LF) only when needed.
  return MARKUP_TEST.test(text) ? text.replace(MARKUP, (ch) => REPLACEMENT[ch] ?? ch) : text;
}
