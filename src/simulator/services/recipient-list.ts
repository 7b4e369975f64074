import type { Handler } from '../context';
import { attributeNames } from './attributes';
import { requireList } from './lists';
import { bool, num, str } from './params';

const listOf = (call: Parameters<Handler>[0]) => requireList(call, num(call.params, 'recipientListId'));

export const recipientListHandlers: Record<string, Handler> = {
  getAllIds: (call) => call.sim.store.clients.listIds(call.session.mandatorId).map((l) => l.id),
  getName: (call) => listOf(call).name,
  getDescription: (call) => listOf(call).description,
  getAttributeNames: (call) => attributeNames(listOf(call), str(call.params, 'locale') ?? call.session.locale),
  getCount: (call) => {
    const includeTest = bool(call.params, 'includeTestLists');
    return call.sim.store.clients.listIds(call.session.mandatorId).filter((l) => includeTest || l.isTest === 0).length;
  },
  isTestRecipientList: (call) => listOf(call).isTest,
};
