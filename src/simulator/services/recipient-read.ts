// Recipient operations that read a list.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { CallContext, Handler } from '../context';
import type { ListRow } from '../store/clients';
import type { RecipientRow } from '../store/recipients';
import { checkReadableNames, readAttribute, readAttributes } from './attributes';
import { callFault, forCall } from './call-text';
import { orderedIds } from './page-order';
import { requireList } from './lists';
import { bool, invalidArgument, num, str, strs } from './params';
import { suppressionView } from './suppression-checks';

const listOf = (call: CallContext): ListRow => requireList(call, num(call.params, 'recipientListId'));

export const getAttributes: Handler = (call) => {
  const list = listOf(call);
  const id = str(call.params, 'recipientId') ?? '';
  const names = checkReadableNames(call, list, strs(call.params, 'attributeNames'));
  const r = call.sim.store.recipients.get(call.session.mandatorId, list.listId, id);
  if (!r) {
    const fields = { recipientListId: list.listId, recipientId: id, attributeNames: names.join(',') };
    throw callFault(call, `${FAULT_TEXTS.recipientMissingAttributes} ${forCall(fields)}`);
  }
  return readAttributes(list, r, names);
};

export const contains: Handler = (call) => {
  const list = listOf(call);
  return call.sim.store.recipients.get(call.session.mandatorId, list.listId, str(call.params, 'recipientId') ?? '') !== undefined;
};

/** In the list, opt-in finished, not blocklisted, not unsubscribed, not bounced out (API notes §3.2). */
export const containsValid: Handler = (call) => {
  const list = listOf(call);
  const m = call.session.mandatorId;
  const r = call.sim.store.recipients.get(m, list.listId, str(call.params, 'recipientId') ?? '');
  if (!r || r.optinState !== 'active') return false;
  const view = suppressionView(call.sim.store, m);
  return !view.isBlocklisted(r.address) && !view.isBouncedOut(r.recipientId) && !view.isUnsubscribed(r.recipientId, r.address);
};

function filterId(call: CallContext): void {
  // Recipient filters (target groups) are not modelled: only 0 = "no filter" is accepted.
  if (num(call.params, 'recipientFilterId') !== 0) throw invalidArgument('recipientFilterId (filters are not simulated)');
}

export const getCount: Handler = (call) => {
  const list = listOf(call);
  filterId(call);
  return call.sim.store.recipients.count(call.session.mandatorId, list.listId);
};

function table(call: CallContext, list: ListRow, recipients: RecipientRow[]): (string | null)[][] {
  const names = checkReadableNames(call, list, strs(call.params, 'attributeNames'));
  return recipients.map((r) => readAttributes(list, r, names));
}

export const getAll: Handler = (call) => {
  const list = listOf(call);
  return table(call, list, call.sim.store.recipients.all(call.session.mandatorId, list.listId));
};

export const getAllFlat: Handler = (call) => (getAll(call) as (string | null)[][]).flat();

/** pageStart is a 0-based row offset; pageSize is capped by the batch limit (both choices). */
export const getAllAdvanced: Handler = (call) => {
  const list = listOf(call);
  filterId(call);
  const start = num(call.params, 'pageStart');
  const size = num(call.params, 'pageSize');
  if (start < 0 || size < 0 || size > call.sim.settings.maxElements) throw invalidArgument(`pageStart=${start} pageSize=${size}`);
  const orderBy = str(call.params, 'orderByAttribute');
  const ascending = bool(call.params, 'ascendingSortOrder');
  if (orderBy && orderBy !== list.idField) checkReadableNames(call, list, [orderBy]);
  const { store } = call.sim;
  const m = call.session.mandatorId;
  const ids = orderedIds(store.db, `${m}:${list.listId}:${orderBy ?? ''}:${ascending}`, () => {
    if (orderBy === list.idField) return store.recipients.idsById(m, list.listId, ascending);
    const all = store.recipients.all(m, list.listId);
    return (orderBy ? sortBy(list, all, orderBy, ascending) : all).map((r) => r.recipientId);
  });
  const first = ids[start];
  if (first === undefined || size === 0) return table(call, list, []);
  // The order was taken with the database as it is now, so every id of the page is there: in the id
  // order the page is the run of `size` rows from its first id on, read in one statement.
  if (orderBy === list.idField) return table(call, list, store.recipients.runById(m, list.listId, first, size, ascending));
  return table(
    call,
    list,
    ids.slice(start, start + size).map((id) => store.recipients.get(m, list.listId, id)!),
  );
};

export const getAllAdvancedFlat: Handler = (call) => (getAllAdvanced(call) as (string | null)[][]).flat();

function sortBy(list: ListRow, recipients: RecipientRow[], name: string, ascending: boolean): RecipientRow[] {
  const keyed = recipients.map((r) => ({
    r,
    key: readAttribute(list, r, JSON.parse(r.attrs) as Record<string, string | null>, name) ?? '',
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * (ascending ? 1 : -1));
  return keyed.map((k) => k.r);
}
