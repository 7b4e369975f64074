import fc from 'fast-check';
import { normaliseEmail } from '../../../src/validation/email-rule';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { suppressionKey, suppressionLookup } from '../../../src/validation/suppressions';
import { anAddress, aVariant } from '../../helpers/address-variants';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// An opt-out reported for an address written another way must hold for the address the CRM gives:
// `A@x.com` unsubscribing suppresses ` a@X.COM`. Case and the ends' whitespace were folded before;
// Unicode variants that only look different were not: full-width forms (`ａ＠ｘ．ｃｏｍ`), an invisible
// character inside (zero-width space, soft hyphen, a bidi mark, a BOM), a control character, an
// FQDN's trailing dot. A feedback file or a ClosedLoop page holding such a variant suppressed nobody.

describe('suppressionKey folds the variants of an address onto it', () => {
  it('gives every variant of a valid address the address’s own key, and that key is the address normalised', () => {
    fc.assert(
      fc.property(
        anAddress.chain((address) => fc.tuple(fc.constant(address), aVariant(address))),
        ([address, variant]) => {
          expect(suppressionKey(address)).toBe(normaliseEmail(address, { lowercaseLocalPart: true, idnDomains: 'punycode' }));
          expect(suppressionKey(variant)).toBe(suppressionKey(address));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('excludes the CRM’s row of an address whose opt-out was reported as a variant of it', async () => {
    await fc.assert(
      fc.asyncProperty(
        anAddress.chain((address) =>
          fc.tuple(fc.constant(address), aVariant(address), fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'bounce')),
        ),
        async ([address, variant, kind]) => {
          const accepted: AcceptedRow[] = [];
          const excluded: Exclusion[] = [];
          await exportAndValidate({
            crm: inMemoryCrm({ newsletter: [row({ recipient_id: ` ${address.toUpperCase()}`, email: address })] }),
            rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11 }),
            accepted: { write: (a) => void accepted.push(a) },
            excluded: { write: (e) => void excluded.push(e) },
            suppression: suppressionLookup({
              // As the suppression ledger keys a reported event (record-suppressions.ts).
              active: [{ kind, recipientKey: suppressionKey(variant), latestAt: '2026-01-01T00:00:00.000Z' }],
              allowResubscribe: false,
              now: Date.parse('2026-06-01T00:00:00Z'),
            }),
          });
          expect(accepted).toEqual([]);
          expect(excluded).toEqual([expect.objectContaining({ reason: kind === 'bounce' ? 'bounced' : 'unsubscribed' })]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
