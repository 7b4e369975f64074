import fc from 'fast-check';
import { Utf8Check } from '../../../src/feedback/feedback-encoding';

// Utf8Check checks whole sequences natively (buffer.isUtf8) and walks only a chunk that is not UTF-8,
// or a sequence cut by the chunk's end, byte by byte. Over any bytes (text, line breaks of every kind,
// NUL, cut and overlong sequences, surrogates, bytes above U+10FFFF, stray continuation and Latin-1
// bytes) cut into any chunks, it says exactly what the byte-by-byte walk over the same bytes says:
// the first problem with its line and offset, the first NUL's place, and how the bytes ended.

const FRAGMENTS: ReadonlyArray<readonly number[]> = [
  [0x61],
  [0x2c],
  [0x0a],
  [0x0d],
  [0x0d, 0x0a],
  [0x00],
  [...Buffer.from('é')],
  [...Buffer.from('€')],
  [...Buffer.from('𝄞')],
  [0xfc], // Latin-1 ü
  [0x80], // a stray continuation byte
  [0xc0, 0x80], // overlong
  [0xed, 0xa0, 0x80], // a surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xe2, 0x82], // a cut sequence
  [0xf0],
];

const aText = fc
  .array(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS.slice(0, 9)) }, { weight: 1, arbitrary: fc.constantFrom(...FRAGMENTS) }),
    {
      maxLength: 200,
    },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

function verdict(bytes: Uint8Array, cuts: readonly number[], native: boolean) {
  const check = new Utf8Check(native);
  const ends = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const end of [...ends, bytes.length]) {
    const problem = check.feed(bytes.subarray(from, end));
    if (problem) return { problem, nul: check.strayNul };
    from = end;
  }
  return { end: check.end(), nul: check.strayNul };
}

describe('Utf8Check, native', () => {
  it('says what the byte-by-byte walk says, however the bytes are cut into chunks', () => {
    fc.assert(
      fc.property(aText, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        expect(verdict(bytes, cuts, true)).toEqual(verdict(bytes, [], false));
      }),
      { numRuns: 2000 },
    );
  });
});
