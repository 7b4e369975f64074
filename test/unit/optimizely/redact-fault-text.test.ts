import fc from 'fast-check';
import { FAULT_PREFIX, FAULT_TEXTS, INVALID_SESSION_PREFIX } from '../../../src/optimizely/api/fault-texts';
import { faultToError } from '../../../src/optimizely/client/fault-to-error';
import { FAULT_SCAN_CAP, redactFaultText, UNRECOGNISED_FAULT, WITHHELD } from '../../../src/optimizely/client/redact-fault-text';
import { countStringScans } from '../../helpers/count-string-scans';

const TEMPLATES = Object.values(FAULT_TEXTS);
/** Every text the redactor may produce: a finite set, so nothing from the input can leak through. */
const ALLOWED = new Set([UNRECOGNISED_FAULT, ...TEMPLATES, ...TEMPLATES.map((t) => `${t} ${WITHHELD}`)]);
const context = { service: 'Recipient', operation: 'addAll3' };

describe('redactFaultText', () => {
  it('turns a 200,000-character fault into an error while scanning at most its cap', () => {
    const { result, scans } = countStringScans(() =>
      faultToError({ faultCode: 'soapenv:Server.userException', faultString: 'x'.repeat(200_000) }, context),
    );
    expect(result.message).toBe(`Recipient.addAll3: fault soapenv:Server.userException: ${UNRECOGNISED_FAULT}`);
    expect(scans.calls).toBeGreaterThan(0);
    expect(scans.longest).toBeLessThanOrEqual(FAULT_SCAN_CAP);
  });

  it('searches the capped text once per template and nothing more', () => {
    const { scans } = countStringScans(() => redactFaultText('x'.repeat(200_000)));
    expect(scans.longest).toBe(FAULT_SCAN_CAP);
    expect(scans.total).toBeLessThanOrEqual(TEMPLATES.length * FAULT_SCAN_CAP);
  });

  it('does not look for a template past the cap', () => {
    const late = `${'y'.repeat(FAULT_SCAN_CAP)}${FAULT_TEXTS.invalidCredentials}`;
    expect(redactFaultText(late)).toBe(UNRECOGNISED_FAULT);
  });

  it.each([
    ['bracketed credentials', `[1234, api-user, S3cretPW] ${FAULT_TEXTS.recipientMissing} for call`, ['1234', 'api-user', 'S3cretPW']],
    ['a password in words', 'password S3cretPW', ['S3cretPW']],
    ['an id inside the sentence', 'Recipient CRM-000123 does not exist', ['CRM-000123']],
    ['a quoted value', 'Invalid value "Jane Doe"', ['Jane', 'Doe']],
    ['an address', `${FAULT_TEXTS.invalidArgument}: jane.doe@example.com`, ['jane', 'example']],
  ])('drops %s', (_name, text, secrets) => {
    const redacted = redactFaultText(FAULT_PREFIX + text);
    for (const secret of secrets) expect(redacted).not.toContain(secret);
    expect(ALLOWED.has(redacted)).toBe(true);
  });

  it('keeps a known template and marks what was dropped', () => {
    expect(redactFaultText(FAULT_PREFIX + FAULT_TEXTS.invalidCredentials)).toBe(FAULT_TEXTS.invalidCredentials);
    expect(redactFaultText(`${INVALID_SESSION_PREFIX}${FAULT_TEXTS.invalidSession}: 33c4296db6972a38`)).toBe(
      `${FAULT_TEXTS.invalidSession} ${WITHHELD}`,
    );
    expect(redactFaultText(`[s,1,u] ${FAULT_TEXTS.recipientMissingAttributes} for call: x`)).toBe(
      `${FAULT_TEXTS.recipientMissingAttributes} ${WITHHELD}`,
    );
  });

  it('never lets any part of a secret that is not template text through', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9@._+-]{6,24}$/).filter((s) => !TEMPLATES.some((t) => t.includes(s)));
    const shape = fc.constantFrom(
      (s: string) => `[${s}, 1234, ${s}] `,
      (s: string) => `password ${s} `,
      (s: string) => `Recipient ${s} does not exist `,
      (s: string) => `Invalid value "${s}" `,
      (s: string) => `recipientId='${s}', `,
      (s: string) => `${s}`,
    );
    const piece = fc.oneof(fc.constantFrom(...TEMPLATES, FAULT_PREFIX, INVALID_SESSION_PREFIX), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(secret, fc.array(fc.tuple(shape, piece), { minLength: 1, maxLength: 6 }), (s, parts) => {
        const text = parts.map(([wrap, other]) => wrap(s) + other).join('');
        const redacted = redactFaultText(text);
        expect(ALLOWED.has(redacted)).toBe(true);
        // No substring of the secret of 4+ characters that is not also template text survives.
        for (let i = 0; i + 4 <= s.length; i++) {
          const part = s.slice(i, i + 4);
          if (!TEMPLATES.some((t) => t.includes(part)) && !UNRECOGNISED_FAULT.includes(part)) expect(redacted).not.toContain(part);
        }
      }),
    );
  });
});
