import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { removeAllResponse } from './soap-fixtures';
import { ok, stubTransport } from './stub-transport';

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const clientAnswering = (answers: boolean[]) => {
  const { transport, calls } = stubTransport({
    login: [ok('login-response.xml')],
    removeAll: [{ status: 200, body: removeAllResponse(answers) }],
  });
  return { client: createOptimizelyClient(options, { transport }), calls };
};

describe('Recipient.removeAll', () => {
  it('answers one boolean per id, in input order', async () => {
    const { client } = clientAnswering([true, false]);
    await expect(client.recipient.removeAll({ listId: 100, recipientIds: ['a@x.test', 'b@x.test'] })).resolves.toEqual([true, false]);
  });

  it('refuses any answer without exactly one boolean per id, so no id is taken as removed on a guess', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 6 }), fc.integer({ min: 0, max: 6 }), async (answers, ids) => {
        fc.pre(answers.length !== ids);
        const { client } = clientAnswering(answers);
        const recipientIds = Array.from({ length: ids }, (_, i) => `r${i}@x.test`);
        const error = await client.recipient.removeAll({ listId: 100, recipientIds }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OptimizelyResponseError);
        expect((error as Error).message).toContain(`${answers.length} answers for ${ids} recipient ids`);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses more than 1000 ids before any call', async () => {
    const { client, calls } = clientAnswering([]);
    const recipientIds = Array.from({ length: 1001 }, (_, i) => `r${i}@x.test`);
    await expect(client.recipient.removeAll({ listId: 100, recipientIds })).rejects.toBeInstanceOf(OptimizelyArgumentError);
    expect(calls).not.toContain('removeAll');
  });
});
