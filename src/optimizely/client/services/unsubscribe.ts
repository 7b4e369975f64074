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
      const value = await caller.call(SERVICE, 'containsAll', [recipientIds], options);
      return expectBooleans(value, { service: SERVICE, operation: 'containsAll' });
    },
    async add({ recipientId, listId = 0 }, options) {
      await caller.call(SERVICE, 'add', [listId, recipientId], options);
    },
  };
}
