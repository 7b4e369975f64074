import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/errors/config-error';
import { fieldNameKey } from '../../../src/optimizely/api/field-name-key';
import { TECHNICAL_FIELDS } from '../../../src/sync/recipient-batch';

// A CRM attribute mapped onto the Optimizely field a list uses as its address (`emailField`) or
// recipient id (`idField`) was accepted: the reconcile's setAttributesInBatch then wrote the
// column's value as the recipient's address, and an add carried two values for one field. Such a
// mapping is refused when the configuration is read, naming the mapping's place, the list and the
// field, in every spelling the one rule (fieldNameKey) takes for the same field: case, blanks around
// it, full-width letters, invisible characters.

const ADDRESS_FIELDS = ['email', 'E-Mail', 'mail_address', 'recipient', 'id'];

/** A spelling of `name` that is the same field by the documented rule. */
const spellingArb = (name: string): fc.Arbitrary<string> =>
  fc
    .record({
      cases: fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      wide: fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      before: fc.constantFrom('', ' ', '\t', '\u00a0', '\u3000', '\u200b', '\ufeff'),
      after: fc.constantFrom('', ' ', '  ', '\u2003', '\u200e'),
      inside: fc.constantFrom('', '\u200b', '\u2060', '\u00ad'),
      at: fc.nat({ max: name.length }),
    })
    .map(({ cases, wide, before, after, inside, at }) => {
      const letters = [...name].map((ch, i) => {
        const cased = cases[i] ? ch.toUpperCase() : ch.toLowerCase();
        // Full-width forms of ASCII letters and digits (U+FF01..U+FF5E): NFKC reads them as ASCII.
        return wide[i] && /[A-Za-z0-9]/.test(cased) ? String.fromCodePoint(cased.codePointAt(0)! + 0xfee0) : cased;
      });
      letters.splice(at, 0, inside);
      return `${before}${letters.join('')}${after}`;
    });

interface Case {
  emailField: string;
  idField: string;
  /** Which field the hostile column is mapped onto, spelled as `spelling`. */
  target: 'emailField' | 'idField';
  spelling: string;
  ownEntry: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    emailField: fc.constantFrom(...ADDRESS_FIELDS),
    idField: fc.constantFrom(...ADDRESS_FIELDS),
    target: fc.constantFrom<'emailField' | 'idField'>('emailField', 'idField'),
    ownEntry: fc.boolean(),
  })
  .chain((c) => spellingArb(c[c.target]).map((spelling) => ({ ...c, spelling })));

function rawConfig(c: Case, attributes: Record<string, string>): Record<string, unknown> {
  const entryKey = c.ownEntry ? 'brand-a/newsletter' : 'newsletter';
  return {
    clients: [
      {
        key: 'brand-a',
        endpoint: 'https://api.example.com',
        mandatorId: 1,
        username: 'u',
        password: { env: 'P' },
        lists: [{ key: 'newsletter', listId: 1, optInId: '11', emailField: c.emailField, idField: c.idField }],
      },
    ],
    crm: { kind: 'sqlite', file: 'crm.sqlite', lists: { [entryKey]: { query: 'SELECT 1', attributes } } },
    store: { kind: 'sqlite', file: 'state.sqlite' },
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw, 'test.json', '/tmp');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('a CRM attribute never maps onto a field the sync sets itself', () => {
  it('refuses a mapping onto the list address or id field in any spelling of it, naming the mapping, the list and the field', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const problems = problemsOf(rawConfig(c, { first_name: 'firstname', hostile: c.spelling }));
        const entryKey = c.ownEntry ? 'brand-a/newsletter' : 'newsletter';
        const named = problems.filter((p) => p.startsWith(`crm.lists.${entryKey}.attributes.hostile:`));
        expect(named).toHaveLength(1);
        expect(named[0]).toContain('list newsletter of client brand-a');
        expect(named[0]).toContain(`${c.target} ${JSON.stringify(c[c.target])}`);
        // Nothing else is refused: the other column is an ordinary field.
        expect(problems).toHaveLength(1);
      }),
    );
  });

  it('accepts every mapping onto fields that are not the address, the id or a technical field', () => {
    const reserved = (c: Case) => new Set([c.emailField, c.idField, ...TECHNICAL_FIELDS].map(fieldNameKey));
    fc.assert(
      fc.property(
        caseArb,
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/), { minLength: 1, maxLength: 5, selector: fieldNameKey }),
        (c, fields) => {
          const ordinary = fields.filter((f) => !reserved(c).has(fieldNameKey(f)));
          const attributes = Object.fromEntries(ordinary.map((field, i) => [`column_${i}`, field]));
          expect(problemsOf(rawConfig(c, attributes))).toEqual([]);
        },
      ),
    );
  });

  it('refuses a technical field in any spelling, and an address or id field that is a technical field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TECHNICAL_FIELDS).chain(spellingArb),
        fc.constantFrom<'emailField' | 'idField'>('emailField', 'idField'),
        (spelling, setting) => {
          const c: Case = { emailField: 'email', idField: 'email', target: 'emailField', spelling, ownEntry: false };
          expect(
            problemsOf(rawConfig(c, { hostile: spelling })).some((p) => p.startsWith('crm.lists.newsletter.attributes.hostile:')),
          ).toBe(true);
          const problems = problemsOf(rawConfig({ ...c, [setting]: spelling }, {}));
          expect(problems.some((p) => p.startsWith(`clients.0.lists.0.${setting}:`) && p.includes('technical field'))).toBe(true);
        },
      ),
    );
  });

  it('example: the default address field mapped as "Email" is refused with its place, list and field', () => {
    const c: Case = { emailField: 'email', idField: 'email', target: 'emailField', spelling: 'Email', ownEntry: false };
    expect(problemsOf(rawConfig(c, { mail: 'Email' }))).toEqual([
      'crm.lists.newsletter.attributes.mail: maps to Optimizely field "Email", which list newsletter of client brand-a sets itself as ' +
        'the recipient\'s address and id (emailField "email", idField "email"): the column\'s value would overwrite it; map the column to another field',
    ]);
  });
});
