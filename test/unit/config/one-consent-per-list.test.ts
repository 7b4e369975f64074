import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';

// "Relate each list to exactly one advertising consent": a list's optInId (and its mediaType) that
// reads as several values, a pattern, or holds an invisible character is refused when the
// configuration loads, naming the setting; one plain value (or an integer) loads as before.

type RawList = Record<string, unknown>;
const withList = (change: (list: RawList) => void) => {
  const raw = demoConfig() as { clients: Array<{ lists: RawList[] }> };
  change(raw.clients[0]!.lists[0]!);
  return () => parseConfig(raw, 'test.json', '/tmp');
};

const token = fc.stringMatching(/^[A-Za-z0-9_.:{}-]{1,12}$/);
const joiner = fc.constantFrom(',', ', ', ';', '|', ' ', '\t', '\n', ' OR ');
const pattern = fc.constantFrom('*', '%', '?');
const invisible = fc.constantFrom('\u200b', '\u00ad', '\ufeff', '\u202e', '\u0000', '\u0007');

describe('one advertising consent and one medium per list', () => {
  it('refuses an optInId or mediaType that reads as several values, a pattern or holds an invisible character', () => {
    const doubtful = fc.oneof(
      fc.tuple(token, joiner, token).map(([a, j, b]) => `${a}${j}${b}`),
      fc.tuple(token, pattern).map(([a, p]) => `${a}${p}`),
      pattern,
      fc.tuple(token, invisible, token).map(([a, i, b]) => `${a}${i}${b}`),
    );
    fc.assert(
      fc.property(doubtful, fc.constantFrom('optInId', 'mediaType'), (value, setting) => {
        expect(withList((list) => (list[setting] = value))).toThrow(new RegExp(`lists\\.0\\.${setting}`));
      }),
    );
  });

  it('loads one plain value, padded or not, and an integer consent', () => {
    fc.assert(
      fc.property(token, fc.constantFrom('', ' '), (value, pad) => {
        const config = withList((list) => Object.assign(list, { optInId: `${pad}${value}${pad}`, mediaType: `${pad}${value}` }))();
        expect([config.clients[0]!.lists[0]!.optInId, config.clients[0]!.lists[0]!.mediaType]).toEqual([value, value]);
      }),
    );
    expect(withList((list) => (list.optInId = 11))().clients[0]!.lists[0]!.optInId).toBe('11');
  });
});
