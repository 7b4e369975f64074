// Errors of the live list's reading thread cross to the main thread as data (src/plan/thread-errors.ts)
// and must come back as what an in-process read would have thrown: same class (the retry decision),
// same name, message and context.
import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../../../src/errors/optimizely-auth-error';
import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { OptimizelyResponseRejectedError } from '../../../src/errors/optimizely-response-rejected-error';
import { OptimizelySessionError } from '../../../src/errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { fromThreadError, toThreadError } from '../../../src/plan/thread-errors';

const CLASSES = [
  OptimizelyFaultError,
  OptimizelyResponseError,
  OptimizelyResponseRejectedError,
  OptimizelyTransientError,
  OptimizelySessionError,
  OptimizelyAuthError,
  OptimizelyArgumentError,
];

/** Through structured clone, as postMessage carries it. */
const acrossThreads = (error: unknown) => fromThreadError(structuredClone(toThreadError(error)));

describe('errors from the reading thread', () => {
  it('every Optimizely error comes back as its own class with its name, message and context', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CLASSES),
        fc.string(),
        fc.record(
          {
            service: fc.string(),
            operation: fc.string(),
            subject: fc.string(),
            faultCode: fc.string(),
            httpStatus: fc.integer({ min: 100, max: 599 }),
          },
          { requiredKeys: [] },
        ),
        (Class, reason, context) => {
          const original = new Class(reason, context);
          const back = acrossThreads(original);
          expect(back).toBeInstanceOf(Class);
          expect(back.constructor).toBe(Class);
          expect(back.name).toBe(original.name);
          expect(back.message).toBe(original.message);
          for (const key of ['service', 'operation', 'subject', 'faultCode', 'httpStatus'] as const)
            expect((back as OptimizelyFaultError)[key]).toBe(original[key]);
        },
      ),
    );
  });

  it('any other error keeps its class name and message only, and is no Optimizely error', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.anything(), (name, message, thrown) => {
        const back = acrossThreads(Object.assign(new Error(message), { name }));
        expect(back).not.toBeInstanceOf(OptimizelyFaultError);
        expect([back.name, back.message]).toEqual([name, message]);
        // Temporal records a failure's type from the constructor's name, and retry policies compare it.
        expect(back.constructor.name).toBe(name);
        // Not even an Error (a thrown string, an object): its text, never a crash of the relay.
        expect(acrossThreads(thrown)).toBeInstanceOf(Error);
      }),
    );
  });

  it('a name that is an Object.prototype key is not taken for a class', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(fromThreadError({ name, message: 'm', context: {} })).not.toBeInstanceOf(OptimizelyFaultError);
  });
});
