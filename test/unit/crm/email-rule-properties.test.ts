import { domainToASCII, domainToUnicode } from 'node:url';
import fc from 'fast-check';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { checkEmail, type EmailRuleOptions } from '../../../src/validation/email-rule';

// Properties of every address the rule accepts, over hostile input: addresses built from pieces that
// break rules (formula characters, look-alikes that case-fold onto ASCII, Unicode and fake punycode
// labels, control characters) as well as arbitrary strings.

const addAll3 = findOperation('Recipient', 'addAll3')!;
const HOSTILE_CHARS = [
  'a',
  'Z',
  '0',
  '.',
  '-',
  '_',
  '+',
  '=',
  '@',
  "'",
  '|',
  '!',
  '\t',
  '\r',
  '\n',
  ' ',
  '\u0000',
  '\u212A',
  '\u0130',
  'ü',
  'ß',
  'ｅ',
  '\u3002',
  '\uFF1D',
  '\u202E',
  '\uD800',
];
const LABELS = [
  'example',
  'EXAMPLE',
  'com',
  'de',
  'c',
  'xn--zz',
  'xn--bcher-kva',
  'XN--MNCHEN-3YA',
  'xn--munchen-gie',
  'münchen',
  'exampl\u212A',
  'ｅxample',
  '-x',
  'x-',
  '123',
  '公司',
];

const hostile = fc.array(fc.constantFrom(...HOSTILE_CHARS), { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''));
const benign = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,8}$/);
/** Mostly plausible text, often with hostile characters before, inside or after it. */
const piece = fc.oneof(
  { arbitrary: benign, weight: 3 },
  { arbitrary: hostile, weight: 1 },
  { arbitrary: fc.tuple(hostile, benign).map(([h, b]) => h + b), weight: 1 },
  { arbitrary: fc.tuple(benign, hostile, benign).map(([a, h, b]) => a + h + b), weight: 1 },
);
const label = fc.oneof({ arbitrary: fc.constantFrom(...LABELS), weight: 2 }, { arbitrary: piece.map((p) => p.toLowerCase()), weight: 2 });
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'de', 'Museum', 'xn--55qx5d', '公司', 'c', 'ｃom'))
  .map(([labels, top]) => [...labels, top].join('.'));
const builtAddress = fc.tuple(piece, domain).map(([local, d]) => `${local}@${d}`);
const hasNonAscii = (text: string): boolean => [...text].some((ch) => (ch.codePointAt(0) ?? 0) > 0x7f);
const anyAddress = fc.oneof(builtAddress, fc.string({ unit: 'binary', maxLength: 40 }), fc.emailAddress());
const options = fc.record<EmailRuleOptions>({
  lowercaseLocalPart: fc.boolean(),
  idnDomains: fc.constantFrom('reject' as const, 'punycode' as const),
});

describe('the e-mail rule over hostile input', () => {
  it('accepts only pure ASCII with no formula character first, stable under normalising again', () => {
    fc.assert(
      fc.property(anyAddress, options, (input, opts) => {
        const check = checkEmail(input, opts);
        if (!check.ok) return;
        const { address } = check;
        expect(address).toMatch(/^[\u0021-\u007E]+$/);
        expect(address).not.toMatch(/^[=+\-@\t\r]/);
        expect(checkEmail(address, opts)).toEqual({ ok: true, address, idnConverted: false });
        const domainPart = address.slice(address.lastIndexOf('@') + 1);
        expect(domainPart).toBe(domainPart.toLowerCase());
        if (opts.lowercaseLocalPart) expect(address).toBe(address.toLowerCase());
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts only addresses the SOAP request writer encodes', () => {
    fc.assert(
      fc.property(anyAddress, options, (input, opts) => {
        const check = checkEmail(input, opts);
        if (!check.ok) return;
        const xml = writeRequest({
          service: 'Recipient',
          namespace: SOAP_NAMESPACE('Recipient'),
          operation: addAll3,
          args: ['sid', 1, 0, [check.address], [check.address], [], [[]]],
        });
        expect(xml).toContain(`<item>${check.address.replace(/&/g, '&amp;')}</item>`);
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts non-ASCII under the reject policy, whatever lower-casing would make of it', () => {
    fc.assert(
      fc.property(builtAddress, fc.boolean(), (input, lowercaseLocalPart) => {
        fc.pre(hasNonAscii(input.trim()));
        expect(checkEmail(input, { lowercaseLocalPart }).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('converts exactly the Unicode domains under the punycode policy, to labels that decode back', () => {
    fc.assert(
      fc.property(builtAddress, (input) => {
        const check = checkEmail(input, { lowercaseLocalPart: true, idnDomains: 'punycode' });
        if (!check.ok) return;
        const original = input.trim();
        const unicodeDomain = hasNonAscii(original.slice(original.lastIndexOf('@') + 1));
        expect(check.idnConverted).toBe(unicodeDomain);
        for (const part of check.address.slice(check.address.lastIndexOf('@') + 1).split('.')) {
          if (part.startsWith('xn--')) expect(domainToASCII(domainToUnicode(part))).toBe(part);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
