import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { multiRefArrayResponse } from './soap-fixtures';
import { ok, stubTransport } from './stub-transport';

// Unsubscribe.containsAll says, per id, whether Optimizely holds an unsubscribe. The port answers one
// boolean per id or refuses, as removeAll does: an answer of another length would leave whoever is
// unsubscribed to the caller's guess (the refill pre-filter checks again; the port must not rely on it).

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const clientAnswering = (answers: boolean[]) => {
  const { transport } = stubTransport({
    login: [ok('login-response.xml')],
    containsAll: [{ status: 200, body: multiRefArrayResponse('containsAll', 'boolean', answers) }],
  });
  return createOptimizelyClient(options, { transport });
};

describe('Unsubscribe.containsAll', () => {
  it('answers one boolean per id in input order, or refuses naming both counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 8 }), fc.integer({ min: 0, max: 8 }), async (answers, ids) => {
        const recipientIds = Array.from({ length: ids }, (_, i) => `r${i}@x.test`);
        const read = clientAnswering(answers).unsubscribe.containsAll({ recipientIds });
        if (answers.length === ids) return void (await expect(read).resolves.toEqual(answers));
        const error = await read.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OptimizelyResponseError);
        expect((error as Error).message).toBe(`Unsubscribe.containsAll: ${answers.length} answers for ${ids} recipient ids`);
      }),
      { numRuns: 80 },
    );
  });
});
