import fc from 'fast-check';
import { loadRuntimeEnv, runtimeEnvSchema } from '../../../src/config/runtime-env';
import { RuntimeEnvError } from '../../../src/errors/runtime-env-error';

// Whatever an operator's environment holds (any Unicode, control characters, huge values, a short
// admin token), loading it either succeeds or fails with one RuntimeEnvError naming each bad variable,
// and never quotes a value: the message goes to the terminal and the logs, and a token is a credential.
const NAMES = Object.keys(runtimeEnvSchema.shape);
const hostileValue = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\r', '\n', '\uFEFF', ' ', '9', '-', 'x'), maxLength: 12 }),
  fc.constantFrom('', '0', '65536', '-1', '1e3', '0x10', ' 7233 ', 'NaN', 'Infinity', '9'.repeat(400)),
  fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.integer({ min: 50_000, max: 100_000 })).map(([s, n]) => s.repeat(n)),
);

describe('loadRuntimeEnv over hostile environments', () => {
  it('loads, or names every bad variable without quoting any value', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...NAMES),
          hostileValue.map((v) => `SECRET${v}`),
        ),
        (env) => {
          try {
            loadRuntimeEnv(env);
          } catch (error) {
            expect(error).toBeInstanceOf(RuntimeEnvError);
            const message = (error as Error).message;
            expect(message).not.toContain('SECRET');
            for (const line of message.split('\n').slice(1))
              expect(NAMES.some((name) => line.trimStart().startsWith(`${name}:`))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a short simulator admin token without printing it', () => {
    expect(() => loadRuntimeEnv({ CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN: 'hunter2' })).toThrow(/CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN: /);
    expect(() => loadRuntimeEnv({ CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN: 'hunter2' })).not.toThrow(/hunter2/);
  });
});
