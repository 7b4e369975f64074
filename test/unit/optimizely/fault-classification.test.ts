import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_PREFIX, FAULT_TEXTS, INVALID_SESSION_PREFIX } from '../../../src/optimizely/api/fault-texts';
import { faultToError } from '../../../src/optimizely/client/fault-to-error';
import { UNRECOGNISED_FAULT } from '../../../src/optimizely/client/redact-fault-text';

// A fault's class decides what happens next (a refused recipient is isolated, a passing fault is
// retried, an expired session logs in again). The service writes its own message first and echoes
// the call's arguments after it, and those are CRM values: hostile text that may hold the words of
// any other template. The class and the template in the message must be those of the service's own
// message, whatever the echo says.

const context = { service: 'Recipient', operation: 'addAll3' };
const TEMPLATES = Object.values(FAULT_TEXTS);
const fault = (faultString: string) => faultToError({ faultCode: 'soapenv:Server.userException', faultString }, context);

/** What precedes the service's message: an exception prefix and the "[session,mandator,user]" echo. */
const lead = fc.constantFrom('', FAULT_PREFIX, INVALID_SESSION_PREFIX, `${FAULT_PREFIX}[33c4296db6972a38,1234,api-user] `);
/** Echoed argument values: other templates, their fragments, anything. */
const echoedValue = fc.oneof(
  fc.constantFrom(...TEMPLATES),
  fc.constantFrom(...TEMPLATES).map((t) => t.slice(0, t.length - 1)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const echo = fc
  .array(fc.tuple(fc.constantFrom('recipientId', 'address', 'value', 'caused by'), echoedValue), { maxLength: 5 })
  .map((fields) => ` for call: ${fields.map(([key, value]) => `${key}='${value}'`).join(', ')}`);

describe('fault classification with echoed CRM values', () => {
  it("takes the class and the template of the service's own message, whatever the echoed values hold", () => {
    fc.assert(
      fc.property(lead, fc.constantFrom(...TEMPLATES), echo, (before, template, after) => {
        const alone = fault(`${before}${template}`);
        const echoed = fault(`${before}${template}${after}`);
        expect(echoed.constructor).toBe(alone.constructor);
        // The session template counts only where the service's message starts, not after the bracket
        // echo (on it the client sends a write again): there the text is no known fault.
        const shown = template === FAULT_TEXTS.invalidSession && before.endsWith('] ') ? UNRECOGNISED_FAULT : template;
        expect(echoed.message).toMatch(new RegExp(`: ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( …)?$`));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a refusal of one recipient a refusal when its value reads like a passing fault', () => {
    const text = `${FAULT_PREFIX}${FAULT_TEXTS.recipientRefused} for call: recipientId='r1', value='${FAULT_TEXTS.tooManyConnections}'`;
    const error = fault(text);
    expect(error).toBeInstanceOf(OptimizelyArgumentError);
    expect(error.message).toBe(`Recipient.addAll3: fault soapenv:Server.userException: ${FAULT_TEXTS.recipientRefused} …`);
  });
});
