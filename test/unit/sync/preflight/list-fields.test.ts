import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../../src/errors/optimizely-response-error';
import { MAX_FIELD_NAME_LENGTH, MAX_LIST_FIELDS, missingFields, readListFields } from '../../../../src/sync/preflight/list-fields';

// Field names as a hostile answer might hold them: ordinary names, case variants, blanks, nil,
// controls, over-long names and non-strings.
const fieldName = fc.oneof(
  fc.constantFrom('email', 'first_name', 'First_Name', 'opt-in-id', 'entity-id', 'Created', ' first_name', ''),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const answerEntry = fc.oneof(
  fieldName,
  fc.constant(null),
  fc.integer(),
  fc.string({ minLength: MAX_FIELD_NAME_LENGTH + 1, maxLength: MAX_FIELD_NAME_LENGTH + 3 }),
);
const mappedName = fc.oneof(fc.constantFrom('email', 'first_name', 'First_Name', 'opt-in-id'), fc.string({ minLength: 1, maxLength: 12 }));

const usable = (entry: unknown): entry is string => typeof entry === 'string' && entry.length > 0 && entry.length <= MAX_FIELD_NAME_LENGTH;

describe('list fields of a pre-flight check', () => {
  it('passes for any mapping and any field set exactly when the mapping is a subset of the fields', () => {
    fc.assert(
      fc.property(fc.array(mappedName, { maxLength: 15 }), fc.array(answerEntry, { maxLength: 40 }), (required, answer) => {
        const missing = missingFields(required, readListFields(answer));
        const fields = new Set(answer.filter(usable));
        expect(missing.length === 0).toBe(required.every((name) => fields.has(name)));
        expect(new Set(missing)).toEqual(new Set(required.filter((name) => !fields.has(name))));
      }),
    );
  });

  it('names every missing field once, in the order the mapping gives them', () => {
    fc.assert(
      fc.property(fc.array(mappedName, { maxLength: 15 }), fc.array(fieldName, { maxLength: 20 }), (required, answer) => {
        const missing = missingFields(required, readListFields(answer));
        expect(missing).toEqual([...new Set(required)].filter((name) => !answer.includes(name)));
      }),
    );
  });

  it('passes when the list holds the mapping among other fields, in any order', () => {
    const mappingAndAnswer = fc
      .tuple(fc.uniqueArray(mappedName, { maxLength: 10 }), fc.array(answerEntry, { maxLength: 10 }))
      .chain(([required, others]) => {
        const all = [...required, ...others];
        return fc.tuple(fc.constant(required), fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }));
      });
    fc.assert(
      fc.property(mappingAndAnswer, ([required, answer]) => {
        expect(missingFields(required, readListFields(answer))).toEqual([]);
      }),
    );
  });

  it('never lets an odd entry stand in for a mapped field', () => {
    fc.assert(
      fc.property(mappedName, fc.array(fc.oneof(fc.constant(null), fc.integer(), fc.constant('')), { maxLength: 10 }), (name, odd) => {
        const fields = readListFields(odd);
        expect(missingFields([name], fields)).toEqual([name]);
        expect(fields.ignored).toBe(odd.length);
      }),
    );
  });

  it('matches names exactly: case and surrounding spaces count', () => {
    const fields = readListFields(['first_name', ' last_name']);
    expect(missingFields(['First_Name', 'last_name', 'first_name'], fields)).toEqual(['First_Name', 'last_name']);
  });

  it('treats an empty answer as a list without fields', () => {
    expect(missingFields(['email', 'first_name'], readListFields([]))).toEqual(['email', 'first_name']);
  });

  it('refuses an answer longer than any real list', () => {
    expect(() => readListFields(new Array(MAX_LIST_FIELDS + 1).fill('f'))).toThrow(OptimizelyResponseError);
    expect(() => readListFields(new Array(MAX_LIST_FIELDS + 1).fill('f'))).toThrow(/more than 10000/);
    expect(readListFields(new Array(MAX_LIST_FIELDS).fill('f')).names).toEqual(new Set(['f']));
  });

  it('refuses an answer that is not a list', () => {
    for (const answer of [null, 'email', 3, { 0: 'email' }]) expect(() => readListFields(answer)).toThrow(OptimizelyResponseError);
  });
});
