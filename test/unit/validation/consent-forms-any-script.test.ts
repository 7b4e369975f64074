import fc from 'fast-check';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// An opt-out stated under the list's consent or medium written with the characters of another script
// or typography (docs/crm.md, "Conflicting rows"): digits of any script (`١١`, `११`: NFKC folds
// full-width digits but not these), consents listed with any punctuation (`12、11`, `(11)`, `11–12`),
// a medium with a Unicode hyphen or dash (`E‐Mail`, as word processors write it; `E–Mail`, `E−Mail`),
// with a look-alike letter of another script (`еmail`, Cyrillic `е`), upper-cased in Turkish (`EMAİL`) or among others separated by
// blanks or an ideographic comma. A person reads each as the list's, so
// the opt-out wins for the person and the clean twin is not sent. A clearly other consent or medium
// (12 in any script, `sms` with any dash) still says nothing about the list.

/** The zero of a script's decimal digits: its 0 to 9 follow it. */
const ZEROS = ['0', '\u0660', '\u06f0', '\u0966', '\u09e6', '\u0be6', '\u0e50', '\u1040', '\uff10', '\u{1d7ce}', '\u{104a0}'];
const inScript = (zero: string, digits: string): string =>
  Array.from(digits, (d) => String.fromCodePoint((zero.codePointAt(0) as number) + Number(d))).join('');
const SEPARATORS = [',', '、', '，', ' ', ';', '/', '|', '–', '—', '+', '&', '·'];
const DASHES = ['', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u2043', '_', '.', ' ', '·'];
const MEDIA_LISTS = [',', '、', ' ', ';', ' / '];
/** Latin letters and a look-alike of another script (Cyrillic, Greek) a word may be written with. */
const LOOK_ALIKES: ReadonlyArray<readonly [string, string]> = [
  ['', ''],
  ['e', '\u0435'],
  ['E', '\u0415'],
  ['a', '\u0430'],
  ['M', '\u041c'],
  ['i', '\u0456'],
  ['s', '\u0455'],
  ['a', '\u03b1'],
];
/** The word with every `latin` letter written as its look-alike. */
const lookAlike = (word: string, [latin, alike]: readonly [string, string]): string =>
  latin === '' ? word : word.split(latin).join(alike);

const consentCell = fc
  .record({
    zero: fc.constantFrom(...ZEROS),
    own: fc.constantFrom('11', '12'),
    others: fc.array(fc.constantFrom('12', '13', '7'), { maxLength: 2 }),
    separator: fc.constantFrom(...SEPARATORS),
    brackets: fc.boolean(),
  })
  .map(({ zero, own, others, separator, brackets }) => {
    const ids = [...others, own].map((id) => inScript(zero, id));
    const text = ids.join(separator);
    return { text: brackets ? `(${text})` : text, list: own === '11' };
  });
const mediumCell = fc
  .record({
    own: fc.constantFrom('email', 'sms'),
    dash: fc.constantFrom(...DASHES),
    upper: fc.boolean(),
    others: fc.array(fc.constantFrom('sms', 'fax', 'post'), { maxLength: 2 }),
    listSeparator: fc.constantFrom(...MEDIA_LISTS),
    alike: fc.constantFrom(...LOOK_ALIKES),
    turkish: fc.boolean(),
  })
  .map(({ own, dash, upper, others, listSeparator, alike, turkish }) => {
    const word = lookAlike(own === 'email' ? `${upper ? 'E' : 'e'}${dash}${upper ? 'Mail' : 'mail'}` : `s${dash}ms`, alike);
    const name = turkish ? word.toLocaleUpperCase('tr') : word;
    return { text: [...others, name].join(listSeparator), list: own === 'email' };
  });

describe('an opt-out under the list’s consent or medium in another script or typography', () => {
  it('wins for the person; under a clearly other consent or medium it does not', async () => {
    await fc.assert(
      fc.asyncProperty(consentCell, mediumCell, fc.boolean(), async (consent, medium, withdrawingFirst) => {
        const clean = row({ entity_id: 'C1' });
        const withdrawing = row({
          entity_type: 'lead',
          entity_id: 'L1',
          opt_in_id: consent.text,
          media_type: medium.text,
          unsubscribed: 'yes',
        });
        const accepted: AcceptedRow[] = [];
        const excluded: Exclusion[] = [];
        const counts = await exportAndValidate({
          crm: inMemoryCrm({ newsletter: withdrawingFirst ? [withdrawing, clean] : [clean, withdrawing] }),
          rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: '11' }),
          accepted: { write: (a) => void accepted.push(a) },
          excluded: { write: (e) => void excluded.push(e) },
        });
        expect(counts.rowsRead).toBe(accepted.length + excluded.length);
        const speaksForList = consent.list && medium.list;
        const where = { consent: consent.text, medium: medium.text };
        expect({ ...where, sent: accepted.map((a) => a.recipient.entityId) }).toEqual({ ...where, sent: speaksForList ? [] : ['C1'] });
        if (speaksForList) expect(excluded.find((e) => e.entityId === 'C1')?.reason).toBe('unsubscribed');
      }),
      { numRuns: 300 },
    );
  });
});
