import type { RecipientListPort } from '../optimizely-port';
import type { SoapCaller } from '../soap-caller';
import { expectCells, expectCount, expectNumbers } from './expect-value';

const SERVICE = 'RecipientList';

export function recipientListService(caller: SoapCaller): RecipientListPort {
  const where = (operation: string) => ({ service: SERVICE, operation });
  return {
    async getAllIds(options) {
      return expectNumbers(await caller.call(SERVICE, 'getAllIds', [], options), where('getAllIds'));
    },
    async getName({ listId }, options) {
      const value = await caller.call(SERVICE, 'getName', [listId], options);
      return typeof value === 'string' ? value : null;
    },
    async getCount({ includeTestLists }, options) {
      return expectCount(await caller.call(SERVICE, 'getCount', [includeTestLists], options), where('getCount'));
    },
    async getAttributeNames({ listId, locale }, options) {
      return expectCells(await caller.call(SERVICE, 'getAttributeNames', [listId, locale], options), where('getAttributeNames'));
    },
  };
}
