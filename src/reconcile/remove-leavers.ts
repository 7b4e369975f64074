import { MAX_BATCH_SIZE } from '../optimizely/client/services/recipient';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import type { RemovedLedgerEntry, SnapshotRow } from '../store/types';
import { sendWithinRequestBound } from '../sync/request-bound';

/** A leaver as the diff stored it. */
interface Leaver {
  recipientId: string;
  entityType: string;
  entityId: string;
}

/** Bytes of markup around one id in a removeAll request (`<item xsi:type="soapenc:string">…</item>`). */
const ID_OVERHEAD_BYTES = 64;

/**
 * An upper bound of the bytes one leaver adds to a removeAll request: its id alone is sent, five bytes
 * per UTF-16 unit at most (`&amp;`), as the refill's estimate (request-bound.ts).
 */
export function removalBytes(row: SnapshotRow): number {
  return ID_OVERHEAD_BYTES + 5 * (row as unknown as Leaver).recipientId.length;
}

/**
 * One batch of leavers off the list with `removeAll`, then their `removed` ledger entries. The
 * client has checked the answer (one boolean per id); false means the list no longer held the id:
 * someone else removed it, or an earlier attempt of this batch did before a crash. Either way it is
 * off the list, so both count towards the leavers; the ledger keeps the first answer per recipient.
 * Like the refill's addAll3, the batch is sent in as many calls as keep each request within the API's
 * 1000 ids and the request bound (long ids full of `&`: one request over what the server reads is
 * refused as a whole, and the reconcile failed on it every day), and each call's leavers are
 * ledgered as soon as it is answered: a later call that fails leaves those known removed recorded
 * `removed` (a retry's removeAll answers false for them, which would read as someone else's doing).
 */
export async function removeLeaverBatch(
  input: {
    optimizely: OptimizelyPort;
    store: StateStore;
    runId: string;
    listKey: string;
    listId: number;
    signal?: AbortSignal;
    /** The request bound (tests lower it); MAX_ADDALL3_REQUEST_BYTES by default, as the refill's. */
    maxRequestBytes?: number;
  },
  rows: readonly SnapshotRow[],
): Promise<Record<string, number>> {
  const leavers = rows as unknown as Leaver[];
  const counts = { removed: 0, notOnList: 0 };
  const remove = async (from: number, to: number): Promise<number[]> => {
    // Between calls: a cancelled attempt stops with what it removed recorded.
    input.signal?.throwIfAborted();
    const some = leavers.slice(from, to);
    const answers = await input.optimizely.recipient.removeAll(
      { listId: input.listId, recipientIds: some.map((l) => l.recipientId) },
      { signal: input.signal },
    );
    const entries: RemovedLedgerEntry[] = some.map((l, i) => ({
      runId: input.runId,
      listKey: input.listKey,
      recipientId: l.recipientId,
      entityType: l.entityType,
      entityId: l.entityId,
      outcome: 'removed',
      reason: answers[i] ? 'removed' : 'not_on_list',
    }));
    await input.store.ledger.record(entries);
    const removed = answers.filter(Boolean).length;
    counts.removed += removed;
    counts.notOnList += answers.length - removed;
    return [];
  };
  await sendWithinRequestBound(rows, 0, rows.length, remove, {
    maxBytes: input.maxRequestBytes,
    operation: 'removeAll',
    rowBytes: removalBytes,
    maxRows: MAX_BATCH_SIZE,
    // A removeAll sends ids only: a leaver whose id alone is over the bound is named by its place among them.
    item: 'recipientIds',
  });
  return counts;
}
