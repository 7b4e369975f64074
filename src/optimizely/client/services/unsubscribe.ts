import { OptimizelyResponseError } from '../../../errors/optimizely-response-error';
import type { UnsubscribePort } from '../optimizely-port';
import type { SoapCaller } from '../soap-caller';
import { expectBoolean, expectBooleans } from './expect-value';

const SERVICE = 'Unsubscribe';

export function unsubscribeService(caller: SoapCaller): UnsubscribePort {
  return {
    async contains({ recipientId }, options) {
      return expectBoolean(await caller.call(SERVICE, 'contains', [recipientId], options), { service: SERVICE, operation: 'contains' });
    },
    async containsAll({ recipientIds }, options) {
      const where = { service: SERVICE, operation: 'containsAll' };
      const answers = expectBooleans(await caller.call(SERVICE, 'containsAll', [recipientIds], options), where);
      // Anything but one answer per id is no answer: who is unsubscribed would be a guess (as removeAll).
      if (answers.length !== recipientIds.length)
        throw new OptimizelyResponseError(`${answers.length} answers for ${recipientIds.length} recipient ids`, where);
      return answers;
    },
    async add({ recipientId, listId = 0 }, options) {
      await caller.call(SERVICE, 'add', [listId, recipientId], options);
    },
  };
}
