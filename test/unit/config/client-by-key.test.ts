import fc from 'fast-check';
import { clientByKey } from '../../../src/config/client-by-key';
import type { ClientConfig } from '../../../src/config/config-schema';
import { ConfigError } from '../../../src/errors/config-error';

/** Only the key matters to the look-up; the rest of a client's configuration is left out. */
const clientsWithKeys = (keys: readonly string[]) => ({ clients: keys.map((key) => ({ key }) as ClientConfig) });

describe('clientByKey', () => {
  it('returns the configured client with the key', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 6 }), fc.nat(), (keys, pick) => {
        const config = clientsWithKeys(keys);
        const key = keys[pick % keys.length]!;
        expect(clientByKey(config, key)).toBe(config.clients.find((c) => c.key === key));
      }),
    );
  });

  it('refuses an unknown key with a ConfigError naming it and every known key', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), { maxLength: 6 }), fc.string(), (keys, unknown) => {
        fc.pre(!keys.includes(unknown));
        let thrown: unknown;
        try {
          clientByKey(clientsWithKeys(keys), unknown);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ConfigError);
        const [problem] = (thrown as ConfigError).problems;
        expect(problem).toBe(`unknown client ${unknown}; known: ${keys.join(', ')}`);
      }),
    );
  });
});
