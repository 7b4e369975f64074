import fc from 'fast-check';
import { domainToASCII } from 'node:url';
import { suppressionKey, suppressionKeyForms, suppressionLookup } from '../../../src/validation/suppressions';
import { anAddress } from '../../helpers/address-variants';
import { row } from '../crm/in-memory-crm';
import { validateNewsletter } from '../../helpers/validate-newsletter';

// An address whose case a CRM or mail client changed in a locale's rules is the same person's: in
// Turkish `ali@gmail.com` upper-cases to `ALİ@GMAİL.COM` (dotted capital I), which lower-cases outside
// Turkish to `ali̇@gmai̇l.com` (i + combining dot above), and `ALI` lower-cases to `alı` (dotless i); in
// German `strasse` may stand written `straße`. No normalisation form folds these onto the ASCII address,
// so an opt-out stated (or reported) under such a spelling suppressed nobody and the person's clean
// row was sent.

/** An address holding an `i` and an `ss`, where the locales' casing differs from the root's. */
const anAddressWithLocaleLetters = fc
  .tuple(anAddress, fc.constantFrom('i', 'ss', 'iss', 'si'), fc.boolean())
  .map(([address, letters, domain]) => {
    const [local, host] = address.split('@') as [string, string];
    return domain ? `${local}@${letters}${host}` : `${letters}${local}@${host}`;
  });

/** The address as a locale's case mapping writes it (never the address itself). */
const aLocaleSpelling = (address: string) =>
  fc
    .constantFrom<(a: string) => string>(
      (a) => a.toLocaleUpperCase('tr'),
      (a) => a.toLocaleUpperCase('tr').toLowerCase(),
      (a) => a.toUpperCase().toLocaleLowerCase('tr'),
      (a) => a.toLocaleLowerCase('tr').replace(/i/g, 'ı'),
      (a) => a.replace(/ss/g, 'ß'),
      (a) => a.replace(/ss/g, 'ß').toLocaleUpperCase('tr'),
    )
    .map((spell) => spell(address))
    .filter((spelled) => spelled.toLowerCase() !== address);

const OPT_OUTS: ReadonlyArray<{ column: 'consent_withdrawn' | 'unsubscribed' | 'bounced'; value: unknown }> = [
  { column: 'consent_withdrawn', value: 'ja' },
  { column: 'unsubscribed', value: 1 },
  { column: 'bounced', value: 'Y' },
];

describe('an opt-out under a locale’s case of an address holds for the address', () => {
  it('a row stating it excludes the person’s clean row, in any order, recipient ids as addresses or opaque', async () => {
    await fc.assert(
      fc.asyncProperty(
        anAddressWithLocaleLetters.chain((address) =>
          fc.record({
            address: fc.constant(address),
            spelled: aLocaleSpelling(address),
            optOut: fc.constantFrom(...OPT_OUTS),
            withdrawingFirst: fc.boolean(),
            opaque: fc.boolean(),
            idnDomains: fc.constantFrom<'reject' | 'punycode'>('reject', 'punycode'),
          }),
        ),
        async ({ address, spelled, optOut, withdrawingFirst, opaque, idnDomains }) => {
          const { column, value } = optOut;
          const clean = row({ recipient_id: opaque ? 'C1' : address, email: address });
          const withdrawing = row({
            recipient_id: opaque ? 'L7' : spelled,
            email: spelled,
            entity_type: 'lead',
            entity_id: 'L7',
            [column]: value,
          });
          const rows = withdrawingFirst ? [withdrawing, clean] : [clean, withdrawing];
          const { counts, accepted, excluded } = await validateNewsletter(rows, {
            recipientIdKind: opaque ? 'opaque' : 'email',
            idnDomains,
          });
          expect(accepted).toEqual([]);
          expect(counts.rowsRead).toBe(excluded.length);
          const withdrawingRow = withdrawingFirst ? 1 : 2;
          expect(excluded.find((e) => e.entityId === 'C1')).toEqual(
            expect.objectContaining({ reason: column, field: `${column} (row ${withdrawingRow})` }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an unsubscribe or bounce the ledger recorded under it excludes the address', async () => {
    await fc.assert(
      fc.asyncProperty(
        anAddressWithLocaleLetters.chain((address) =>
          fc.tuple(fc.constant(address), aLocaleSpelling(address), fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'bounce')),
        ),
        async ([address, spelled, kind]) => {
          const suppression = suppressionLookup({
            // As the ledger keys a reported event (record-suppressions.ts).
            active: [{ kind, recipientKey: suppressionKey(spelled), latestAt: '2026-01-01T00:00:00.000Z' }],
            allowResubscribe: false,
            now: Date.parse('2026-06-01T00:00:00Z'),
          });
          const { accepted, excluded } = await validateNewsletter([row({ recipient_id: address, email: address })], {}, suppression);
          expect(accepted).toEqual([]);
          expect(excluded).toEqual([expect.objectContaining({ reason: kind === 'bounce' ? 'bounced' : 'unsubscribed' })]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the one key of an ASCII value, and the punycode key of a Unicode domain', () => {
    fc.assert(
      fc.property(
        // A plus-tagged address has the untagged one's key too (plus-address-opt-outs.test.ts).
        anAddress.filter((address) => !address.includes('xn--') && !address.includes('+')),
        (address) => expect(suppressionKeyForms(address)).toEqual([suppressionKey(address)]),
      ),
      { numRuns: 200 },
    );
    // `ı` is a letter of real Turkish domains: its own punycode form still matches what a punycode list sends.
    expect(suppressionKeyForms('ali@ılık.com.tr')).toEqual([`ali@${domainToASCII('ılık')}.com.tr`, 'ali@ilik.com.tr']);
  });
});
