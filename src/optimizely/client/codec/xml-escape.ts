// Characters that need work in XML 1.0 text: markup characters, CR (escaped so XML line-ending
// normalisation does not turn it into LF) and characters XML 1.0 cannot carry at all.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const NEEDS_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex -- as above
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const MARKUP = /[&<>\r]/g;
const REPLACEMENT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/**
 * Escapes text content; returns undefined for text that XML 1.0 cannot represent (control
 * characters), so the caller can name the field without echoing the value.
 */
export function escapeXmlText(text: string): string | undefined {
  if (!NEEDS_WORK.test(text)) return text;
  if (NOT_XML.test(text)) return undefined;
  return text.replace(MARKUP, (ch) => REPLACEMENT[ch] ?? ch);
}
