// Recipient operations that change a list (other than adds).
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { CallContext, Handler } from '../context';
import type { ListRow } from '../store/clients';
import { checkWritableNames } from './attributes';
import { checkBatchSize, checkSameLength } from './batch-checks';
import { callFault, callPrefix, forCall } from './call-text';
import { requireList } from './lists';
import { num, rows, str, strs } from './params';
import { suppressionView } from './suppression-checks';

const listOf = (call: CallContext): ListRow => requireList(call, num(call.params, 'recipientListId'));

export const setAttributes: Handler = (call) => {
  const list = listOf(call);
  const id = str(call.params, 'recipientId') ?? '';
  const names = strs(call.params, 'attributeNames');
  const values = strs(call.params, 'attributeValues');
  checkSameLength(call, { attributeNames: names.length, attributeValues: values.length });
  const checked = checkWritableNames(call, list, names);
  if (!call.sim.store.recipients.get(call.session.mandatorId, list.listId, id)) {
    const fields = { recipientListId: list.listId, recipientId: id, attributeNames: names.join(','), attributeValues: values.join(',') };
    throw callFault(call, `${FAULT_TEXTS.recipientMissingAttributes} ${forCall(fields)}`);
  }
  call.sim.store.db.transaction(() => updateOne(call, list, id, checked, values))();
  return undefined;
};

export const setAttributesInBatch: Handler = (call) => {
  const list = listOf(call);
  const ids = strs(call.params, 'recipientIds');
  const nameRows = rows(call.params, 'attributeNames');
  const valueRows = rows(call.params, 'attributeValues');
  checkBatchSize(call, 'recipientIds', ids.length);
  checkSameLength(call, { recipientIds: ids.length, attributeNames: nameRows.length, attributeValues: valueRows.length });
  const checked = nameRows.map((names, i) => {
    checkSameLength(call, { attributeNames: names.length, attributeValues: valueRows[i]?.length ?? 0 });
    return checkWritableNames(call, list, names);
  });
  batchUpdate(call, list, ids, `attributeNamesSize=${nameRows.length} attributeValuesSize=${valueRows.length}`, (i) => [
    checked[i] ?? [],
    valueRows[i] ?? [],
  ]);
  return undefined;
};

export const setAttributesInBatchFlat: Handler = (call) => {
  const list = listOf(call);
  const ids = strs(call.params, 'recipientIds');
  const names = strs(call.params, 'attributeNames');
  const flat = strs(call.params, 'flatAttributeValues');
  checkBatchSize(call, 'recipientIds', ids.length);
  checkSameLength(call, { flatAttributeValues: flat.length, recipientIdsTimesAttributeNames: ids.length * names.length });
  const checked = checkWritableNames(call, list, names);
  const size = `attributeNames=[${names.join(',')}] attributeNamesSize=${names.length} flatAttributeValuesSize=${flat.length}`;
  batchUpdate(call, list, ids, size, (i) => [checked, flat.slice(i * names.length, (i + 1) * names.length)]);
  return undefined;
};

/** All or nothing: if any id is missing, one fault names all missing ids and nothing is written. */
function batchUpdate(
  call: CallContext,
  list: ListRow,
  ids: (string | null)[],
  sizes: string,
  row: (i: number) => [string[], (string | null)[]],
): void {
  const m = call.session.mandatorId;
  const missing = ids.filter((id) => id === null || !call.sim.store.recipients.get(m, list.listId, id));
  if (missing.length > 0) {
    const head = `recipientListId='${list.listId}', recipientIds='${ids.join(',')}', ${sizes}`;
    throw callFault(
      call,
      `${FAULT_TEXTS.batchUpdateFailed} #${list.listId} for call: ${head}; caused by: ${callPrefix(call)} Recipients ${missing.join(',')} do not exist for call: ${head}`,
    );
  }
  call.sim.store.db.transaction(() => ids.forEach((id, i) => updateOne(call, list, id as string, ...row(i))))();
}

function updateOne(call: CallContext, list: ListRow, id: string, names: string[], values: (string | null)[]): void {
  const m = call.session.mandatorId;
  const current = call.sim.store.recipients.get(m, list.listId, id);
  if (!current) return;
  const attrs = JSON.parse(current.attrs) as Record<string, string | null>;
  let address = current.address;
  names.forEach((name, i) => {
    if (name === list.emailField) address = values[i] ?? address;
    else attrs[name] = values[i] ?? null;
  });
  call.sim.store.recipients.setAttrs(m, list.listId, id, JSON.stringify(attrs), address, call.sim.clock.now());
}

export const remove: Handler = (call) => {
  const list = listOf(call);
  const id = str(call.params, 'recipientId') ?? '';
  if (!call.sim.store.recipients.remove(call.session.mandatorId, list.listId, id)) {
    throw callFault(call, `${FAULT_TEXTS.recipientMissing} ${forCall({ recipientListId: list.listId, recipientId: id })}`);
  }
  return undefined;
};

export const removeAll: Handler = (call) => {
  const list = listOf(call);
  const ids = strs(call.params, 'recipientIds');
  checkBatchSize(call, 'recipientIds', ids.length);
  const m = call.session.mandatorId;
  return call.sim.store.db.transaction(() => ids.map((id) => id !== null && call.sim.store.recipients.remove(m, list.listId, id)))();
};

export const clear: Handler = (call) => {
  call.sim.store.recipients.clear(call.session.mandatorId, listOf(call).listId);
  return undefined;
};

function removeWhere(call: CallContext, test: (id: string, address: string) => boolean): number {
  const list = listOf(call);
  const m = call.session.mandatorId;
  const doomed = call.sim.store.recipients.all(m, list.listId).filter((r) => test(r.recipientId, r.address));
  call.sim.store.db.transaction(() => doomed.forEach((r) => call.sim.store.recipients.remove(m, list.listId, r.recipientId)))();
  return doomed.length;
}

export const removeBounced: Handler = (call) => {
  const view = suppressionView(call.sim.store, call.session.mandatorId);
  return removeWhere(call, (id) => view.isBouncedOut(id));
};
export const removeUnsubscribed: Handler = (call) => {
  const view = suppressionView(call.sim.store, call.session.mandatorId);
  return removeWhere(call, (id, address) => view.isUnsubscribed(id, address));
};
export const removeBlacklisted: Handler = (call) => {
  const view = suppressionView(call.sim.store, call.session.mandatorId);
  return removeWhere(call, (_id, address) => view.isBlocklisted(address));
};
