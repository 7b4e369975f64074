import { attrsEncoder } from '../../../src/simulator/services/attrs-json';

const reference = (names: string[], values: (string | null)[]) => {
  const attrs: Record<string, string | null> = {};
  names.forEach((name, i) => (attrs[name] = values[i] ?? null));
  return JSON.stringify(attrs);
};

describe('attrsEncoder', () => {
  const cases: [string, string[], (string | null)[]][] = [
    ['plain names and values', ['firstname', 'opt-in-id', 'city'], ['Ann', '11', 'Düsseldorf']],
    ['null and missing values', ['a', 'b', 'c'], [null, 'x']],
    ['values that need escaping', ['a', 'b', 'c'], ['quote " backslash \\ newline \n', '\u0001\u001f', 'lone \ud800 surrogate']],
    ['a surrogate pair and non-ASCII text', ['a', 'b'], ['smile \ud83d\ude00', 'Düsseldorf €']],
    ['names that need escaping', ['we"ird', 'back\\slash', 'tab\tname'], ['1', '2', '3']],
    ['duplicate names (the last value wins at the first position)', ['a', 'b', 'a'], ['1', '2', '3']],
    ['index-like names (sorted first by object semantics)', ['z', '10', '2', '01'], ['1', '2', '3', '4']],
    ['a __proto__ name (dropped by object semantics)', ['a', '__proto__'], ['1', '2']],
    ['no names', [], []],
  ];

  it.each(cases)('encodes %s as JSON.stringify of the attribute object does', (_title, names, values) => {
    expect(attrsEncoder(names)(values)).toBe(reference(names, values));
  });

  it('reuses one encoder for many rows', () => {
    const encode = attrsEncoder(['a', 'b']);
    expect([encode(['1', '2']), encode([null, 'x'])]).toEqual(['{"a":"1","b":"2"}', '{"a":null,"b":"x"}']);
  });
});
