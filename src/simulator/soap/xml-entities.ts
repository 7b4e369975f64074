// Entity and character references in request text, decoded strictly: the five predefined entities
// looked up in a Map (so `&constructor;` or `&__proto__;` cannot resolve through Object.prototype),
// character references only in their exact decimal or hex form and only for characters XML 1.0
// allows (no `&#1;`, no surrogates like `&#xD800;`), and every `&` must start one of them.
import { XmlRejectedError } from './xml-rejected-error';

const NAMED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
// A reference is `&#x10FFFF;` or a short name: a `;` further away means the `&` was bare.
const MAX_REFERENCE = 32;
const DECIMAL = /^#[0-9]{1,7}$/;
const HEX = /^#x[0-9A-Fa-f]{1,6}$/;

/** Decodes references in `raw`; throws XmlRejectedError for anything that is not a valid one. */
export function decodeEntities(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semicolon = raw.indexOf(';', amp + 1);
    if (semicolon === -1 || semicolon - amp - 1 > MAX_REFERENCE)
      throw new XmlRejectedError('a bare & (not part of an entity or character reference)');
    out += raw.slice(from, amp) + resolve(raw.slice(amp + 1, semicolon));
    from = semicolon + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

function resolve(ref: string): string {
  const named = NAMED.get(ref);
  if (named !== undefined) return named;
  const code = DECIMAL.test(ref) ? Number(ref.slice(1)) : HEX.test(ref) ? parseInt(ref.slice(2), 16) : undefined;
  if (code === undefined)
    throw new XmlRejectedError(ref.startsWith('#') ? 'malformed character reference' : `undefined entity &${safeName(ref)};`);
  if (!isXmlChar(code)) throw new XmlRejectedError(`character reference to a character XML 1.0 does not allow (${code})`);
  return String.fromCodePoint(code);
}

/** XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** The entity name for a message when it is a plain name, else a placeholder. */
function safeName(ref: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(ref) ? ref : '…';
}
