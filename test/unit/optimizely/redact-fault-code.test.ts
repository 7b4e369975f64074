import fc from 'fast-check';
import { redactFaultCode } from '../../../src/optimizely/client/redact-fault-code';

// A faultcode comes off the wire like the rest of a fault: whatever it holds, what we keep is built
// from the allow-listed parts only, and a code made of those parts is kept as it is.
const PREFIXES = ['soapenv', 'soap', 'SOAP-ENV', 'env', 'S', 's'];
const CODES = ['Server', 'Client', 'VersionMismatch', 'MustUnderstand'];
const SUB_CODES = ['userException', 'generalException', 'NoService', 'NoSOAPAction'];
const KEPT = new RegExp(`^((${PREFIXES.join('|')}):)?(${CODES.join('|')})(\\.(${SUB_CODES.join('|')}))?$`);

const part = fc.oneof(
  fc.constantFrom(...PREFIXES, ...CODES, ...SUB_CODES, ':', '.', ' ', '\u0000', '\r\n', '\uFEFF', 'anna@example.com'),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const hostileCode = fc.oneof(
  fc.array(part, { maxLength: 8 }).map((parts) => parts.join('')),
  fc
    .tuple(fc.constantFrom('soapenv:Server.userException', 'Client'), fc.integer({ min: 1, max: 100_000 }))
    .map(([c, n]) => c + 'x'.repeat(n)),
);

describe('redactFaultCode', () => {
  it('returns unknown or a code of allow-listed parts, whatever the wire held', () => {
    fc.assert(
      fc.property(hostileCode, (code) => {
        const kept = redactFaultCode(code);
        expect(kept === 'unknown' || KEPT.test(kept)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every code made of allow-listed parts as it is', () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(...PREFIXES)),
        fc.constantFrom(...CODES),
        fc.option(fc.constantFrom(...SUB_CODES)),
        (prefix, code, sub) => {
          const full = `${prefix === null ? '' : `${prefix}:`}${code}${sub === null ? '' : `.${sub}`}`;
          expect(redactFaultCode(full)).toBe(full);
        },
      ),
    );
  });
});
