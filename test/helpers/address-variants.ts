import fc from 'fast-check';

// Valid addresses and the ways one can be written that only look different: letter case, full-width
// forms, invisible characters between its letters, padding, an FQDN's trailing dot.

const LOCAL = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]$/).filter((l) => !l.includes('..'));
const DOMAIN = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}[a-z0-9]$/), fc.constantFrom('com', 'de', 'co.uk', 'example'));
export const anAddress = fc.tuple(LOCAL, DOMAIN).map(([local, [host, top]]) => `${local}@${host}.${top}`);

const INVISIBLES = [
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202C',
  '\u0000',
  '\u0007',
  '\u007F',
];
const PADDING = ['', ' ', '\t', '\n', '\r\n', '\u00A0', '\u2003', '\u3000', '\uFEFF'];

/** Full-width form of a printable ASCII character (U+FF01–U+FF5E); a space stays. */
const fullWidth = (ch: string) => (ch >= '!' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01) : ch);

/** The address written another way, character by character: case, full width, invisibles between; padded; maybe a trailing dot. */
export const aVariant = (address: string) =>
  fc
    .record({
      perChar: fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.option(fc.constantFrom(...INVISIBLES), { nil: undefined })), {
        minLength: address.length,
        maxLength: address.length,
      }),
      before: fc.constantFrom(...PADDING),
      after: fc.constantFrom(...PADDING),
      trailingDot: fc.boolean(),
    })
    .map(({ perChar, before, after, trailingDot }) => {
      const body = [...address]
        .map((ch, i) => {
          const [upper, wide, invisible] = perChar[i]!;
          const cased = upper ? ch.toUpperCase() : ch;
          return (wide ? fullWidth(cased) : cased) + (invisible ?? '');
        })
        .join('');
      return `${before}${body}${trailingDot ? '.' : ''}${after}`;
    });
