import type { Cell, OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { PlanFields } from '../plan/plan-fields';
import type { StateStore } from '../store/state-store';
import type { KeptLedgerEntry, SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';
import { requestBytes, sendWithinRequestBound } from '../sync/request-bound';

/**
 * What `setAttributesInBatch` writes for a changed recipient: every field the refill sends (technical
 * fields and mapped attributes) and, on a list whose id is not its address, the e-mail field. The id
 * field itself is never written: the id is what the recipient is found by.
 */
export function updateColumns(fields: PlanFields): { names: string[]; values: (r: Recipient) => Cell[] } {
  const keyedByAddress = fields.idField === fields.emailField;
  const names = keyedByAddress ? fields.names.slice(1) : fields.names;
  return { names, values: (r) => (keyedByAddress ? fields.desiredValues(r).slice(1) : fields.desiredValues(r)) };
}

/**
 * One batch of changed recipients updated in place, then their `kept` (updated) ledger entries. The
 * call is all or nothing (API notes: one fault names every missing id): a recipient removed at
 * Optimizely since the read fails the batch, and the run with it, leaving the list as good as before.
 * Like the refill's addAll3, a batch of long values (a raised field limit, values full of `&`) is
 * sent in as many consecutive calls as keep each request within the bound (sendWithinRequestBound):
 * one request over what the server reads would be refused as a whole and fail the reconcile every
 * day. The ledger is written once every call of the batch is answered; a failure between calls
 * leaves some recipients updated and not ledgered, which the next run's diff finds unchanged.
 */
export async function updateChangedBatch(
  input: {
    optimizely: OptimizelyPort;
    store: StateStore;
    runId: string;
    listKey: string;
    listId: number;
    fields: PlanFields;
    signal?: AbortSignal;
    /** The request bound (tests lower it); MAX_ADDALL3_REQUEST_BYTES by default, as the refill's. */
    maxRequestBytes?: number;
  },
  rows: readonly SnapshotRow[],
): Promise<Record<string, number>> {
  const recipients = rows as unknown as Recipient[];
  const columns = updateColumns(input.fields);
  const update = async (from: number, to: number): Promise<number[]> => {
    const some = recipients.slice(from, to);
    await input.optimizely.recipient.setAttributesInBatch(
      {
        listId: input.listId,
        recipientIds: some.map((r) => r.recipientId),
        attributeNames: columns.names,
        attributeValues: some.map(columns.values),
      },
      { signal: input.signal },
    );
    return [];
  };
  // The wire form repeats the attribute names for every recipient: counted like values of its own.
  const names = { attributes: Object.fromEntries(columns.names.map((name, i) => [i, name])) } as unknown as SnapshotRow;
  await sendWithinRequestBound(rows, 0, rows.length, update, {
    maxBytes: input.maxRequestBytes,
    operation: 'setAttributesInBatch',
    perRowBytes: requestBytes(names),
  });
  const entries: KeptLedgerEntry[] = recipients.map((r) => ({
    runId: input.runId,
    listKey: input.listKey,
    recipientId: r.recipientId,
    entityType: r.entityType,
    entityId: r.entityId,
    outcome: 'kept',
    reason: 'updated',
  }));
  await input.store.ledger.record(entries);
  return { updated: recipients.length };
}
