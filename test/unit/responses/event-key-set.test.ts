import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { EventKeySet } from '../../../src/responses/event-key-set';

// A window's event keys are kept as their 96 bits instead of strings in a Set. Whether a key was seen
// before (the set grew or not) decides a row's `duplicate`: for any keys, repeats and near-repeats
// (one character apart) included, it must be what a Set<string> says, at every size.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const keyArb = fc.string({ unit: fc.constantFrom(...BASE64), minLength: 16, maxLength: 16 });

/** Keys drawn again, and keys one character off another (every bit of the 96 counts). */
const keysArb = fc.array(keyArb, { minLength: 1, maxLength: 40 }).chain((pool) =>
  fc.array(
    fc.oneof(
      fc.constantFrom(...pool),
      fc
        .tuple(fc.constantFrom(...pool), fc.nat(15), fc.constantFrom(...BASE64))
        .map(([key, at, ch]) => key.slice(0, at) + ch + key.slice(at + 1)),
      keyArb,
    ),
    { maxLength: 300 },
  ),
);

function sameAsSet(keys: readonly string[]): void {
  const set = new Set<string>();
  const keySet = new EventKeySet();
  for (const key of keys) {
    const [before, beforeSet] = [keySet.size, set.size];
    keySet.add(key);
    set.add(key);
    expect(keySet.size - before).toBe(set.size - beforeSet);
  }
}

describe('EventKeySet', () => {
  it('tells a key seen before exactly as a Set<string> does', () => {
    fc.assert(fc.property(keysArb, sameAsSet), { numRuns: 500 });
  });

  it('still does after growing many times (eventKey digests, each added twice)', () => {
    const keys = Array.from({ length: 30_000 }, (_, i) =>
      createHash('sha1')
        .update(String(i % 20_011))
        .digest('base64')
        .slice(0, 16),
    );
    sameAsSet([...keys, ...keys.slice(0, 5000).reverse()]);
  });

  it('tells apart keys that differ in one group of four characters only (each 24 bits of the 96)', () => {
    for (let group = 0; group < 4; group += 1) {
      // 4,096 keys alike but for two characters of one group: many of them meet when probing.
      const keys = Array.from({ length: 4096 }, (_, i) => {
        const chars = [...'QUJDREVGR0hJSktMTU5P'.slice(0, 16)];
        chars[group * 4 + 1] = BASE64[i % 64] as string;
        chars[group * 4 + 3] = BASE64[Math.floor(i / 64)] as string;
        return chars.join('');
      });
      sameAsSet([...keys, ...keys]);
    }
  });

  it('refuses a text that is no event key rather than keying part of it', () => {
    const keys = new EventKeySet();
    for (const text of ['', 'AAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAA=', 'AAAAAAAAAAAAAAA\u00c1', 'AAAAAAAAAAAAAAA\u0141'])
      expect(() => keys.add(text)).toThrow('not an event key');
    expect(keys.size).toBe(0);
  });
});
