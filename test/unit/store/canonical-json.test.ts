import { canonicalJson, RowChecksum } from '../../../src/store/canonical-json';
import type { JsonValue } from '../../../src/store/types';

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [{ z: 1, y: 2 }, 3], a: { d: null, c: 'x' } })).toBe('{"a":{"c":"x","d":null},"b":[{"y":2,"z":1},3]}');
  });

  it('drops undefined properties and writes undefined array items as null, as JSON.stringify does', () => {
    const value = { a: undefined, b: [undefined, 1] } as unknown as JsonValue;
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it('escapes strings exactly as JSON.stringify', () => {
    const text = 'q"u\\o\n\u2028 é \u0000';
    expect(canonicalJson({ text })).toBe(JSON.stringify({ text }));
  });
});

describe('RowChecksum', () => {
  it('hashes rows with a newline after each, so row boundaries matter', () => {
    const joined = new RowChecksum();
    joined.add('ab');
    const split = new RowChecksum();
    split.add('a');
    split.add('b');
    expect(joined.digest()).not.toBe(split.digest());
    expect(split.count).toBe(2);
  });
});
