import fc from 'fast-check';
import { normaliseEmail } from '../../../src/validation/email-rule';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { suppressionKey, suppressionLookup } from '../../../src/validation/suppressions';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// An opt-out reported for an address written another way must hold for the address the CRM gives:
// `A@x.com` unsubscribing suppresses ` a@X.COM`. Case and the ends' whitespace were folded before;
// Unicode variants that only look different were not: full-width forms (`ａ＠ｘ．ｃｏｍ`), an invisible
// character inside (zero-width space, soft hyphen, a bidi mark, a BOM), a control character, an
// FQDN's trailing dot. A feedback file or a ClosedLoop page holding such a variant suppressed nobody.

const LOCAL = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,10}[a-z0-9]$/).filter((l) => !l.includes('..'));
const DOMAIN = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}[a-z0-9]$/), fc.constantFrom('com', 'de', 'co.uk', 'example'));
const anAddress = fc.tuple(LOCAL, DOMAIN).map(([local, [host, top]]) => `${local}@${host}.${top}`);

const INVISIBLES = [
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202C',
  '\u0000',
  '\u0007',
  '\u007F',
];
const PADDING = ['', ' ', '\t', '\n', '\r\n', '\u00A0', '\u2003', '\u3000', '\uFEFF'];

/** Full-width form of a printable ASCII character (U+FF01–U+FF5E); a space stays. */
const fullWidth = (ch: string) => (ch >= '!' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01) : ch);

/** The address written another way, character by character: case, full width, invisibles between; padded; maybe a trailing dot. */
const aVariant = (address: string) =>
  fc
    .record({
      perChar: fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.option(fc.constantFrom(...INVISIBLES), { nil: undefined })), {
        minLength: address.length,
        maxLength: address.length,
      }),
      before: fc.constantFrom(...PADDING),
      after: fc.constantFrom(...PADDING),
      trailingDot: fc.boolean(),
    })
    .map(({ perChar, before, after, trailingDot }) => {
      const body = [...address]
        .map((ch, i) => {
          const [upper, wide, invisible] = perChar[i]!;
          const cased = upper ? ch.toUpperCase() : ch;
          return (wide ? fullWidth(cased) : cased) + (invisible ?? '');
        })
        .join('');
      return `${before}${body}${trailingDot ? '.' : ''}${after}`;
    });

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
