import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { Handler } from '../context';
import { checkBatchSize } from './batch-checks';
import { callFault, forCall } from './call-text';
import { num, str, strs } from './params';
import { recordUnsubscribe } from './feedback';

// The unsubscribe list is client-wide; recipientListId is recorded but does not scope membership.
export const unsubscribeHandlers: Record<string, Handler> = {
  add: (call) => {
    const u = {
      recipientId: str(call.params, 'recipientId') ?? '',
      listId: num(call.params, 'recipientListId'),
      mailingId: null,
      time: call.sim.clock.now(),
    };
    call.sim.store.db.transaction(() => recordUnsubscribe(call.sim, call.session.mandatorId, u))();
    return undefined;
  },
  addAll: (call) => {
    const ids = strs(call.params, 'recipientIds');
    checkBatchSize(call, 'recipientIds', ids.length);
    const listId = num(call.params, 'recipientListId');
    const time = call.sim.clock.now();
    call.sim.store.db.transaction(() => {
      for (const id of ids)
        if (id) recordUnsubscribe(call.sim, call.session.mandatorId, { recipientId: id, listId, mailingId: null, time });
    })();
    return undefined;
  },
  contains: (call) => call.sim.store.suppression.isUnsubscribed(call.session.mandatorId, str(call.params, 'recipientId') ?? ''),
  containsAll: (call) => {
    const ids = strs(call.params, 'recipientIds');
    checkBatchSize(call, 'recipientIds', ids.length);
    return ids.map((id) => id !== null && call.sim.store.suppression.isUnsubscribed(call.session.mandatorId, id));
  },
  remove: (call) => {
    const id = str(call.params, 'recipientId') ?? '';
    if (!call.sim.store.suppression.resubscribe(call.session.mandatorId, id)) {
      throw callFault(call, `${FAULT_TEXTS.noUnsubscribe} ${forCall({ recipientId: id })}`);
    }
    return undefined;
  },
  getCount: (call) => call.sim.store.suppression.unsubscribeCount(call.session.mandatorId),
};
