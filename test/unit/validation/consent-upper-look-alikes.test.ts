import fc from 'fast-check';
import { mayBeListMedium } from '../../../src/validation/doubtful-consent';

// An opt-out's medium written in capitals with a look-alike capital of another script (`EΜAIL` with
// the Greek capital Mu, `ΕΜΑΙL` typed on a Greek keyboard) is the list's medium to a reader, so it
// speaks for the list (docs/crm.md, "Conflicting rows"). The look-alikes were mapped after lower-casing,
// and a Greek capital lower-cases to a letter that is no look-alike of the Latin one (Μ → μ, Β → β,
// Ζ → ζ) or of another one (Η → η read as `n`, Ν → ν as `v`, Υ → υ as `u`): such a medium read as
// another, the opt-out said nothing about the list and the person's clean twin was sent.

/** Latin capitals and the Greek and Cyrillic capitals that look like them. */
const CAPITAL_LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = {
  A: ['\u0391', '\u0410'],
  B: ['\u0392', '\u0412'],
  E: ['\u0395', '\u0415'],
  H: ['\u0397', '\u041d'],
  I: ['\u0399', '\u0406'],
  K: ['\u039a', '\u041a'],
  M: ['\u039c', '\u041c'],
  N: ['\u039d'],
  O: ['\u039f', '\u041e'],
  P: ['\u03a1', '\u0420'],
  S: ['\u0405'],
  T: ['\u03a4', '\u0422'],
  X: ['\u03a7', '\u0425'],
  Y: ['\u03a5', '\u04ae'],
  Z: ['\u0396'],
};

/** A medium name in capitals, each letter Latin or one of its look-alikes. */
const spelt = (medium: string) =>
  fc
    .tuple(...Array.from(medium.toUpperCase(), (latin) => fc.constantFrom(latin, ...(CAPITAL_LOOK_ALIKES[latin] ?? []))))
    .map((letters) => letters.join(''));

describe('a medium written in capitals with look-alike capitals of another script', () => {
  it('speaks for the list whose medium it reads as', () => {
    const media = fc.constantFrom('email', 'sms', 'phone', 'text', 'mobile', 'post', 'fax', 'homepage', 'newsletter');
    fc.assert(
      fc.property(
        media.chain((medium) => fc.tuple(fc.constant(medium), spelt(medium))),
        ([medium, cell]) => {
          expect({ cell, medium, mayBe: mayBeListMedium(cell, medium) }).toEqual({ cell, medium, mayBe: true });
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** Latin small capitals (U+1D00 block and IPA): no NFKC form, read as the letter by a person. */
const SMALL_CAPITALS: Readonly<Record<string, string>> = {
  a: 'ᴀ',
  b: 'ʙ',
  c: 'ᴄ',
  d: 'ᴅ',
  e: 'ᴇ',
  f: 'ꜰ',
  g: 'ɢ',
  h: 'ʜ',
  i: 'ɪ',
  j: 'ᴊ',
  k: 'ᴋ',
  l: 'ʟ',
  m: 'ᴍ',
  n: 'ɴ',
  o: 'ᴏ',
  p: 'ᴘ',
  r: 'ʀ',
  s: 'ꜱ',
  t: 'ᴛ',
  u: 'ᴜ',
  v: 'ᴠ',
  w: 'ᴡ',
  y: 'ʏ',
  z: 'ᴢ',
};

describe('a medium written in small capitals', () => {
  it('speaks for the list whose medium it reads as', () => {
    const media = fc.constantFrom('email', 'sms', 'phone', 'text', 'mobile', 'post', 'fax', 'homepage', 'newsletter');
    const smallCaps = (medium: string) =>
      fc
        .tuple(...Array.from(medium, (latin) => fc.constantFrom(latin, ...(SMALL_CAPITALS[latin] ? [SMALL_CAPITALS[latin]] : []))))
        .map((l) => l.join(''));
    fc.assert(
      fc.property(
        media.chain((medium) => fc.tuple(fc.constant(medium), smallCaps(medium))),
        ([medium, cell]) => {
          expect({ cell, medium, mayBe: mayBeListMedium(cell, medium) }).toEqual({ cell, medium, mayBe: true });
        },
      ),
      { numRuns: 500 },
    );
  });
});
