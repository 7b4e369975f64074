import type { Handler } from '../context';
import { addRecipients } from './recipient-add';
import * as read from './recipient-read';
import * as write from './recipient-write';
import { num, rows, str, strs } from './params';
import { checkSameLength } from './batch-checks';

export const recipientHandlers: Record<string, Handler> = {
  add2: (call) => {
    const p = call.params;
    const input = {
      ids: [str(p, 'recipientId')],
      addresses: [str(p, 'address')],
      names: strs(p, 'attributeNames'),
      rows: [strs(p, 'attributeValues')],
    };
    return addRecipients(call, { listId: num(p, 'recipientListId'), optinProcessId: num(p, 'optinProcessId'), ...input })[0];
  },
  addAll3: (call) => {
    const p = call.params;
    const input = {
      ids: strs(p, 'recipientIds'),
      addresses: strs(p, 'addresses'),
      names: strs(p, 'attributeNames'),
      rows: rows(p, 'attributeValues'),
    };
    return addRecipients(call, { listId: num(p, 'recipientListId'), optinProcessId: num(p, 'optinProcessId'), ...input });
  },
  addAll3Flat: (call) => {
    const p = call.params;
    const ids = strs(p, 'recipientIds');
    const names = strs(p, 'attributeNames');
    const flat = strs(p, 'flatAttributeValues');
    checkSameLength(call, { flatAttributeValues: flat.length, recipientIdsTimesAttributeNames: ids.length * names.length });
    const split = ids.map((_, i) => flat.slice(i * names.length, (i + 1) * names.length));
    return addRecipients(call, {
      listId: num(p, 'recipientListId'),
      optinProcessId: num(p, 'optinProcessId'),
      ids,
      addresses: strs(p, 'addresses'),
      names,
      rows: split,
    });
  },
  ...write,
  ...read,
};
