// In-memory OptimizelyPort for unit tests of activities. It keeps lists, recipients and the
// client-wide unsubscribe list, answers addAll3 with the main result codes (1 invalid address,
// 2 unsubscribed, 3 blocklisted, 5 already in list or repeated in the batch, 0 added), serves
// ClosedLoop rows the test puts in, logs calls (without arguments) and can fail the next call.
import { OptimizelyArgumentError } from '../../src/errors/optimizely-argument-error';
import type { ResultCode } from '../../src/optimizely/api/result-codes';
import { CLOSED_LOOP_GETTERS, type ClosedLoopGetter } from '../../src/optimizely/api/services/closed-loop';
import type { Cell, ClosedLoopPort, OptimizelyPort, Row } from '../../src/optimizely/client/optimizely-port';

export interface FakeList {
  id: number;
  name: string;
  fields: string[];
  recipients: Map<string, { address: string; values: Record<string, Cell> }>;
}

export interface FakeOptimizely extends OptimizelyPort {
  readonly lists: Map<number, FakeList>;
  readonly unsubscribed: Set<string>;
  /** Exact addresses or `*@domain` patterns. */
  readonly blocklist: string[];
  readonly closedLoopRows: Record<ClosedLoopGetter, Row[]>;
  /** Ids of the client's opt-in processes. */
  readonly optinProcessIds: number[];
  /** Operation names in call order, e.g. 'Recipient.addAll3'. */
  readonly calls: string[];
  addList(list: { id: number; name: string; fields: string[] }): FakeList;
  /** The next call of `operation` ('Recipient.clear') throws `error` instead of running. */
  failNext(operation: string, error: Error): void;
  now: number;
}

export function createFakeOptimizely(mandatorId = 1234): FakeOptimizely {
  const lists = new Map<number, FakeList>();
  const failures = new Map<string, Error>();
  const calls: string[] = [];
  const track = (operation: string) => {
    calls.push(operation);
    const error = failures.get(operation);
    failures.delete(operation);
    if (error) throw error;
  };
  const list = (operation: string, listId: number) => {
    const found = lists.get(listId);
    if (!found) throw new OptimizelyArgumentError(`Recipient list does not exist: ${listId}`, { operation });
    return found;
  };
  const blocked = (address: string) =>
    fake.blocklist.some((entry) => (entry.startsWith('*') ? address.endsWith(entry.slice(1)) : address === entry));
  const closedLoopRows = Object.fromEntries(CLOSED_LOOP_GETTERS.map((name) => [name, [] as Row[]])) as Record<ClosedLoopGetter, Row[]>;
  const closedLoop = Object.fromEntries(
    CLOSED_LOOP_GETTERS.map((name) => [
      name,
      async ({ startRow, numberOfRows }: { startRow: number; numberOfRows: number }) => {
        track(`ClosedLoop.${name}`);
        return closedLoopRows[name].slice(startRow, startRow + numberOfRows);
      },
    ]),
  ) as unknown as Omit<ClosedLoopPort, 'getCurrentTime'>;

  const fake: FakeOptimizely = {
    mandatorId,
    lists,
    unsubscribed: new Set(),
    blocklist: [],
    closedLoopRows,
    optinProcessIds: [],
    calls,
    now: Date.parse('2026-01-01T00:00:00Z'),
    addList: ({ id, name, fields }) => {
      const created = { id, name, fields, recipients: new Map() };
      lists.set(id, created);
      return created;
    },
    failNext: (operation, error) => failures.set(operation, error),
    login: async () => track('Session.login'),
    close: async () => track('Session.logout'),
    recipient: {
      clear: async ({ listId }) => {
        track('Recipient.clear');
        list('clear', listId).recipients.clear();
      },
      addAll3: async ({ listId, recipientIds, addresses, attributeNames, attributeValues }) => {
        track('Recipient.addAll3');
        const target = list('addAll3', listId);
        return recipientIds.map((id, i): ResultCode => {
          const address = addresses[i] ?? '';
          if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) return 1;
          if (blocked(address)) return 3;
          if (fake.unsubscribed.has(id)) return 2;
          if (target.recipients.has(id)) return 5;
          const values = Object.fromEntries(attributeNames.map((name, j) => [name, attributeValues[i]?.[j] ?? null]));
          target.recipients.set(id, { address, values });
          return 0;
        });
      },
      setAttributesInBatch: async ({ listId, recipientIds, attributeNames, attributeValues }) => {
        track('Recipient.setAttributesInBatch');
        const target = list('setAttributesInBatch', listId);
        const missing = recipientIds.filter((id) => !target.recipients.has(id));
        if (missing.length > 0)
          throw new OptimizelyArgumentError(`Error updating users in userlist #${listId}`, { operation: 'setAttributesInBatch' });
        recipientIds.forEach((id, i) =>
          attributeNames.forEach((name, j) => (target.recipients.get(id)!.values[name] = attributeValues[i]?.[j] ?? null)),
        );
      },
      removeAll: async ({ listId, recipientIds }) => {
        track('Recipient.removeAll');
        const target = list('removeAll', listId);
        return recipientIds.map((id) => target.recipients.delete(id));
      },
      getCount: async ({ listId }) => (track('Recipient.getCount'), list('getCount', listId).recipients.size),
      getAllAdvanced: async ({ listId, attributeNames, pageStart, pageSize }) => {
        track('Recipient.getAllAdvanced');
        const rows = [...list('getAllAdvanced', listId).recipients.values()].map((r) =>
          attributeNames.map((name) => r.values[name] ?? null),
        );
        return rows.slice(pageStart, pageStart + pageSize);
      },
      getAllAdvancedFlat: async ({ listId, attributeNames, pageStart, pageSize }) => {
        track('Recipient.getAllAdvancedFlat');
        const rows = [...list('getAllAdvancedFlat', listId).recipients.values()].map((r) =>
          attributeNames.map((name) => r.values[name] ?? null),
        );
        return rows.slice(pageStart, pageStart + pageSize);
      },
    },
    recipientList: {
      getAllIds: async () => (track('RecipientList.getAllIds'), [...lists.keys()]),
      getName: async ({ listId }) => (track('RecipientList.getName'), list('getName', listId).name),
      getCount: async () => (track('RecipientList.getCount'), lists.size),
      getAttributeNames: async ({ listId }) => (track('RecipientList.getAttributeNames'), [...list('getAttributeNames', listId).fields]),
    },
    optinProcess: { getIds: async () => (track('OptinProcess.getIds'), [...fake.optinProcessIds]) },
    closedLoop: { ...closedLoop, getCurrentTime: async () => (track('ClosedLoop.getCurrentTime'), fake.now) },
    unsubscribe: {
      contains: async ({ recipientId }) => (track('Unsubscribe.contains'), fake.unsubscribed.has(recipientId)),
      containsAll: async ({ recipientIds }) => (track('Unsubscribe.containsAll'), recipientIds.map((id) => fake.unsubscribed.has(id))),
      add: async ({ recipientId }) => {
        track('Unsubscribe.add');
        fake.unsubscribed.add(recipientId);
      },
    },
  };
  return fake;
}
