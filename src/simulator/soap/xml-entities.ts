import { XmlRejectedError } from './xml-rejected-error';

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and character references; any other entity is refused. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&]{0,12});/g, (_, ref: string) => {
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : ref.startsWith('#') ? parseInt(ref.slice(1), 10) : NaN;
    if (!Number.isInteger(code) || code < 1 || code > 0x10ffff) throw new XmlRejectedError(`undefined entity &${ref};`);
    return String.fromCodePoint(code);
  });
}
