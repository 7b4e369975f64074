import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/errors/config-error';
import { fieldNameKey } from '../../../src/optimizely/api/field-name-key';

// fieldNameKey (838ac9f) reads two field names as one field when they differ in case, width, blanks
// around and invisible format characters. It normalised (NFKC) before it removed the invisible
// characters, so an invisible character between a letter and its combining mark kept them apart:
// `e` + ZERO WIDTH SPACE + COMBINING ACUTE read as `é` decomposed, not as the precomposed `é`. A
// mapping onto a list's address field spelt so (`Adresse e\u200b\u0301lectronique`) loaded, and its
// column's value was written as the recipients' address. Either side may be the one spelt so.

/** Letters with a canonical decomposition, and plain ones. */
const LETTERS = ['é', 'É', 'ü', 'ñ', 'å', 'ç', 'ô', 'ř', 'ṩ', '가', 'a', 'm', 'L', '-'];
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff', '\u200e'];

/** A name, and a spelling of it: decomposed (NFD), an invisible character between any two code points. */
const nameAndSpelling = fc
  .array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 8 })
  .map((letters) => letters.join(''))
  .filter((name) => name.normalize('NFD') !== name)
  .chain((name) => {
    const points = [...name.normalize('NFD')];
    return fc
      .array(fc.tuple(fc.nat({ max: points.length }), fc.constantFrom(...INVISIBLES)), { minLength: 1, maxLength: 4 })
      .map((inserts) => {
        const spelt = [...points];
        for (const [at, invisible] of inserts.sort((x, y) => y[0] - x[0])) spelt.splice(at, 0, invisible);
        return { name, spelling: spelt.join('') };
      });
  });

function problemsOf(emailField: string, mappedOnto: string): string[] {
  const raw = {
    clients: [
      {
        key: 'brand-a',
        endpoint: 'https://api.example.com',
        mandatorId: 1,
        username: 'u',
        password: { env: 'P' },
        lists: [{ key: 'newsletter', listId: 1, optInId: '11', emailField, idField: 'customer_no' }],
      },
    ],
    crm: { kind: 'sqlite', file: 'crm.sqlite', lists: { newsletter: { query: 'SELECT 1', attributes: { hostile: mappedOnto } } } },
    store: { kind: 'sqlite', file: 'state.sqlite' },
  };
  try {
    parseConfig(raw, 'test.json', '/tmp');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('a field name with an invisible character between a letter and its mark', () => {
  it('is the same field as the name without it, on either side of the comparison', () => {
    fc.assert(
      fc.property(nameAndSpelling, ({ name, spelling }) => {
        expect(fieldNameKey(spelling)).toBe(fieldNameKey(name));
        for (const [emailField, mapped] of [
          [name, spelling],
          [spelling, name],
        ] as const) {
          const refused = problemsOf(emailField, mapped).some((p) => p.startsWith('crm.lists.newsletter.attributes.hostile:'));
          expect({ emailField, mapped, refused }).toEqual({ emailField, mapped, refused: true });
        }
      }),
      { numRuns: 300 },
    );
  });
});
