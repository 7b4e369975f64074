import fc from 'fast-check';

// Text a CRM may hand over: controls, lone surrogates, U+FFFE/U+FFFF, private use, right-to-left
// marks, emoji (surrogate pairs), formula-like text and very long values, mixed with plain words.

const NASTY_CHARS = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001B',
  '\u001F',
  '\t',
  '\n',
  '\r',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uFFFE',
  '\uFFFF',
  '\uFFFD',
  '\uE000',
  '\uF8FF',
  '\u200F',
  '\u202E',
  '\u2066',
  '\u0085',
  '\u2028',
  '😀',
  '𝔘',
  '&',
  '<',
  '>',
  '"',
  "'",
  ';',
  ',',
];
const FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|'/C calc'!A0", '+1+2', '-3', '@SUM(1,2)'];

const nastyChar = fc.constantFrom(...NASTY_CHARS);
const plainChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzÄÖÜéñ 0123456789-.');
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((n) => String.fromCodePoint(n));

/** One hostile value, usually short; sometimes formula-like or thousands of characters long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.oneof(plainChar, nastyChar, anyUnit, anyCodePoint), { maxLength: 24 }).map((cs) => cs.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FORMULAS), fc.array(nastyChar, { maxLength: 3 })).map(([f, cs]) => f + cs.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 200, max: 5000 }), fc.option(nastyChar)).map(([n, c]) => 'x'.repeat(n) + (c ?? '')) },
);

/** Mostly plain values, sometimes hostile: most rows of a real export are ordinary. */
export const mostlyPlainText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.array(plainChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')) },
  { weight: 2, arbitrary: hostileText },
);
