import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { recipientIdKey } from '../../../src/validation/recipient-id-key';
import { suppressionKey, suppressionKeyForms, suppressionLookup } from '../../../src/validation/suppressions';
import { validateNewsletter } from '../../helpers/validate-newsletter';
import { row } from '../crm/in-memory-crm';

// Every way Unicode writes an ASCII address's characters that a person reads as those characters:
// compatibility forms (NFKC: the Kelvin sign K, the Angstrom sign Å, full-width letters, ligatures
// such as ﬁ, superscripts, circled and mathematical letters, the long s ſ), a locale's case (Turkish
// İ and ı, German ß and ẞ) and the ideographic full stops (U+3002, U+FF61) that domain names read as
// dots. Decided (docs/crm.md, "Suppression ledger"): an opt-out under any such spelling holds for the
// address, and one under the address holds for any such spelling the list would send (a Unicode
// domain converted to punycode); the list itself never merges two addresses that are sent differently.
// Found: the ideographic full stops were folded by nothing, and an opt-out of the ASCII address left
// the punycode recipient of its Turkish-cased domain (`ali@GMAİL.COM`, sent as `ali@xn--gmail-bgd.com`) sent.

/** What a person reads a character as: compatibility form, every locale's case, ideographic stops as dots. */
function readAs(ch: string): string {
  return (
    ch
      .normalize('NFKC')
      .replace(/[\u0130\u0131]/gu, 'i')
      // Full case folding: the capital sharp s ẞ is ss as ß is (lower, then upper: SS, then lower).
      .toLowerCase()
      .toUpperCase()
      .toLowerCase()
      .replace(/i\u0307/gu, 'i')
      .replace(/\u3002/gu, '.')
  );
}

/** ASCII letter, digit or `.`/`-` → every other code point read as it (e.g. `k` → K, ｋ, 𝐤, ⓚ, …). */
const VARIANTS = new Map<string, string[]>();
/** ASCII strings of two or more characters → code points read as them (`ss` → ß, `fi` → ﬁ). */
const LIGATURES = new Map<string, string[]>();
for (let cp = 0x80; cp <= 0x10ffff; cp += 1) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  const read = readAs(ch);
  if (!/^[a-z0-9.-]+$/u.test(read)) continue;
  const table = read.length === 1 ? VARIANTS : LIGATURES;
  table.set(read, [...(table.get(read) ?? []), ch]);
}

const LABEL = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/u);
/** A valid ASCII address with the letters the variants are about in it now and then. */
const anAddress = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9](?:[a-z0-9.]{0,10}[a-z0-9])?$/u).filter((l) => !l.includes('..')),
    fc.constantFrom('', 'k', 'ss', 'fi', 'i', 'a'),
    LABEL,
    fc.constantFrom('com', 'de', 'co.uk'),
  )
  .map(([local, letters, host, top]) => `${local}${letters}@${letters}${host}.${top}`);

/** The address with some characters (or character pairs) written as a variant, in the local part, the domain or both. */
const aVariant = (address: string) =>
  fc
    .array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      let out = address;
      for (const [at, pick, pair] of edits) {
        const spots = [...out.matchAll(/[a-z0-9.-]/gu)];
        if (spots.length === 0) continue;
        const index = spots[at % spots.length]!.index;
        const two = out.slice(index, index + 2);
        const choices = pair && LIGATURES.has(two) ? LIGATURES.get(two)! : VARIANTS.get(out[index]!);
        if (choices === undefined) continue;
        out = out.slice(0, index) + choices[pick % choices.length]! + out.slice(index + (pair && LIGATURES.has(two) ? 2 : 1));
      }
      return out;
    })
    .filter((variant) => variant !== address);

const shares = (a: readonly string[], b: readonly string[]) => a.some((key) => b.includes(key));

const NOW = Date.parse('2026-06-01T00:00:00Z');
const ledger = (recipientKey: string, kind: 'unsubscribe' | 'bounce') =>
  suppressionLookup({ active: [{ kind, recipientKey, latestAt: '2026-01-01T00:00:00.000Z' }], allowResubscribe: false, now: NOW });

describe('an opt-out under any spelling a person reads as the address holds for it', () => {
  it('finds variants for the Kelvin and Angstrom signs, full-width forms, ligatures and the ideographic stops', () => {
    expect(VARIANTS.get('k')).toEqual(expect.arrayContaining(['\u212A', 'ｋ', 'Ｋ']));
    expect(VARIANTS.get('.')).toEqual(expect.arrayContaining(['\u3002', '\uFF61', '\uFF0E']));
    expect(LIGATURES.get('ss')).toEqual(expect.arrayContaining(['ß', 'ẞ']));
    expect(LIGATURES.get('fi')).toEqual(expect.arrayContaining(['ﬁ']));
    // The Angstrom sign is Å (a letter of its own, not an ASCII a): one key with Å, a different one from a.
    expect(suppressionKey('a@\u212Bland.com')).toBe(suppressionKey('a@Åland.com'));
    expect(suppressionKey('a@\u212Bland.com')).not.toBe(suppressionKey('a@aland.com'));
  });

  it('gives every variant a key of the address', () => {
    fc.assert(
      fc.property(
        anAddress.chain((address) => fc.tuple(fc.constant(address), aVariant(address))),
        ([address, variant]) => {
          expect([address, variant, shares(suppressionKeyForms(variant), suppressionKeyForms(address))]).toEqual([address, variant, true]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('excludes the address and every sendable variant, whichever of them states or reported the opt-out', async () => {
    await fc.assert(
      fc.asyncProperty(
        anAddress.chain((address) =>
          fc.record({
            address: fc.constant(address),
            variant: aVariant(address),
            // Who states the opt-out: the address or the variant; in the CRM (a row) or the ledger.
            withdrawnBy: fc.constantFrom('address', 'variant'),
            where: fc.constantFrom('crm', 'unsubscribe', 'bounce'),
            opaque: fc.boolean(),
            idnDomains: fc.constantFrom<'reject' | 'punycode'>('reject', 'punycode'),
            withdrawingFirst: fc.boolean(),
          }),
        ),
        async ({ address, variant, withdrawnBy, where, opaque, idnDomains, withdrawingFirst }) => {
          const [withdrawing, clean] = withdrawnBy === 'address' ? [address, variant] : [variant, address];
          const rowOf = (email: string, n: number, extra: Record<string, unknown> = {}): CrmRow =>
            row({ recipient_id: opaque ? `ID${n}` : email, email, entity_id: `C${n}`, ...extra });
          const rows =
            where === 'crm'
              ? [rowOf(withdrawing, 1, { consent_withdrawn: 'yes' }), rowOf(clean, 2)]
              : [rowOf(withdrawing, 1), rowOf(clean, 2)];
          const suppression = where === 'crm' ? undefined : ledger(suppressionKey(withdrawing), where);
          const { accepted } = await validateNewsletter(withdrawingFirst ? rows : rows.reverse(), { idnDomains }, suppression);
          expect({ address, variant, withdrawnBy, where, sent: accepted.map((a) => a.recipient.email) }).toEqual({
            address,
            variant,
            withdrawnBy,
            where,
            sent: [],
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it.each([
    ['ali@gmail.com', 'ali@GMAİL.COM', 'crm'],
    ['ali@gmail.com', 'ali@gmaıl.com', 'unsubscribe'],
    ['x@strasse.de', 'x@STRAẞE.de', 'bounce'],
    ['x@strasse.de', 'x@straße.de', 'crm'],
  ])('an opt-out of %s holds for %s, which the list sends in punycode (%s)', async (address, spelled, where) => {
    const rows = [
      row({ recipient_id: address, email: address, entity_id: 'C1', ...(where === 'crm' ? { unsubscribed: 1 } : {}) }),
      row({ recipient_id: spelled, email: spelled, entity_id: 'C2' }),
    ];
    const suppression = where === 'crm' ? undefined : ledger(suppressionKey(address), where as 'unsubscribe' | 'bounce');
    const { accepted } = await validateNewsletter(where === 'crm' ? rows : rows.slice(1), { idnDomains: 'punycode' }, suppression);
    expect(accepted).toEqual([]);
  });

  it('never merges two addresses the list sends differently: clean variants each stay a recipient of their own', async () => {
    await fc.assert(
      fc.asyncProperty(
        anAddress.chain((address) => fc.tuple(fc.constant(address), aVariant(address), anAddress)),
        async ([address, variant, other]) => {
          const rows = [address, variant, other].map((email, i) => row({ recipient_id: email, email, entity_id: `C${i}` }));
          const { accepted } = await validateNewsletter(rows, { idnDomains: 'punycode' });
          const sent = accepted.map((a) => recipientIdKey(a.recipient.recipientId));
          // One recipient per distinct id the list sends; the address (and another one) always among them.
          expect(new Set(sent).size).toBe(sent.length);
          expect(sent).toContain(address);
          if (other !== address) expect(sent).toContain(other);
        },
      ),
      { numRuns: 200 },
    );
  });
});
