import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import type { RemovedLedgerEntry, SnapshotRow } from '../store/types';

/** A leaver as the diff stored it. */
interface Leaver {
  recipientId: string;
  entityType: string;
  entityId: string;
}

/**
 * One batch of leavers off the list with `removeAll`, then their `removed` ledger entries. The
 * client has checked the answer (one boolean per id); false means the list no longer held the id:
 * someone else removed it, or an earlier attempt of this batch did before a crash. Either way it is
 * off the list, so both count towards the leavers; the ledger keeps the first answer per recipient.
 */
export async function removeLeaverBatch(
  input: { optimizely: OptimizelyPort; store: StateStore; runId: string; listKey: string; listId: number; signal?: AbortSignal },
  rows: readonly SnapshotRow[],
): Promise<Record<string, number>> {
  const leavers = rows as unknown as Leaver[];
  const answers = await input.optimizely.recipient.removeAll(
    { listId: input.listId, recipientIds: leavers.map((l) => l.recipientId) },
    { signal: input.signal },
  );
  const entries: RemovedLedgerEntry[] = leavers.map((l, i) => ({
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
  return { removed, notOnList: answers.length - removed };
}
