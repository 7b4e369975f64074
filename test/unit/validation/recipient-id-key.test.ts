import fc from 'fast-check';
import { recipientIdKey } from '../../../src/validation/recipient-id-key';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

/** One character in upper or lower case, each as one code point (what Java's equalsIgnoreCase compares). */
const flipCase = (ch: string, upper: boolean): string => {
  const flipped = upper ? ch.toUpperCase() : ch.toLowerCase();
  return [...flipped].length === 1 ? flipped : ch;
};

describe('recipientIdKey', () => {
  it('is the same for ids that differ only in letter case, and apart for different ids', () => {
    expect(recipientIdKey('C0001')).toBe(recipientIdKey('c0001'));
    expect(recipientIdKey('Anna.Berg@Example.COM')).toBe(recipientIdKey('anna.berg@example.com'));
    expect(recipientIdKey('ÄRGER')).toBe(recipientIdKey('ärger'));
    // Kelvin sign and K, as Java compares them.
    expect(recipientIdKey('\u212a1')).toBe(recipientIdKey('k1'));
    // A fold that changes the length is not a case difference: different addresses stay apart.
    expect(recipientIdKey('straße@example.de')).not.toBe(recipientIdKey('strasse@example.de'));
    expect(recipientIdKey('C0001')).not.toBe(recipientIdKey('C0002'));
  });

  it('does not depend on the case of any character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 80 }), (id, flips) => {
        const variant = [...id].map((ch, i) => flipCase(ch, flips[i % Math.max(1, flips.length)] ?? false)).join('');
        expect(recipientIdKey(variant)).toBe(recipientIdKey(id));
      }),
      { numRuns: 1000 },
    );
  });

  // Java's String.equalsIgnoreCase on these characters, pair by pair (printed by Java 17 for this
  // alphabet): the classes below. Dotted capital İ is one with i and I in Java (its simple lower case
  // is i), which JavaScript's full lower case ("i̇", two code points) hides.
  const JAVA_CASE_CLASSES = ['iIıİ', 'kK\u212a', 'sSſ', 'σΣς', 'ßẞ', 'ﬁ', 'ǆǅǄ', 'µμΜ', 'Åå\u212b', 'Ωω\u2126', 'θΘϑϴ', 'eE', '0', '-'];
  const javaClass = new Map(JAVA_CASE_CLASSES.flatMap((chars, n) => [...chars].map((ch) => [ch, n] as const)));
  const javaEqualIgnoringCase = (a: string, b: string) =>
    [...a].length === [...b].length && [...a].every((ch, i) => javaClass.get(ch) === javaClass.get([...b][i]!));

  it('makes two ids one recipient exactly when Java equalsIgnoreCase would (property)', () => {
    const id = fc.string({ unit: fc.constantFrom(...javaClass.keys()), maxLength: 6 });
    fc.assert(
      fc.property(id, id, (a, b) => {
        expect(recipientIdKey(a) === recipientIdKey(b)).toBe(javaEqualIgnoringCase(a, b));
      }),
      { numRuns: 3000 },
    );
    expect(recipientIdKey('\u0130d')).toBe(recipientIdKey('id'));
  });

  it('is ASCII lower case on ASCII ids (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)) }), (id) => {
        expect(recipientIdKey(id)).toBe(id.toLowerCase());
      }),
    );
  });
});

describe('the export keeps one recipient per recipient id key', () => {
  it('excludes an opaque id that differs from another only in case as a duplicate (property: one winner per key, every row once)', async () => {
    const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, recipientIdKind: 'opaque' });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('c0001', 'C0001', 'c0002', 'K7', '\u212a7', 'k7', 'Ärger', 'ärger'), fc.nat(99)), {
          minLength: 1,
          maxLength: 12,
        }),
        async (ids) => {
          const rows = ids.map(([id, n]) => row({ recipient_id: id, entity_id: `C${n}` }));
          const accepted: AcceptedRow[] = [];
          const excluded: Exclusion[] = [];
          await exportAndValidate({
            crm: inMemoryCrm({ newsletter: rows }),
            rules,
            accepted: { write: (a) => void accepted.push(a) },
            excluded: { write: async (e) => void excluded.push(e) },
          });
          const keys = accepted.map((a) => recipientIdKey(a.recipient.recipientId));
          expect(new Set(keys).size).toBe(keys.length);
          expect(new Set(keys)).toEqual(new Set(ids.map(([id]) => recipientIdKey(id))));
          expect(excluded.every((e) => e.reason === 'duplicate' && e.field === 'recipient_id')).toBe(true);
          expect(accepted.length + excluded.length).toBe(rows.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
