import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import type { SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';

// A refill attempt that dies after `addAll3` ran but before the batch was acknowledged (reply lost,
// worker killed) leaves the batch on the list unacknowledged; the retry sends it again. Someone of
// that batch who opted out in between is left out of the re-sent batch by the opt-out checks, but the
// dead attempt had put them on the list already (and may have ledgered them sent): leaving them out
// is not enough, they must be taken off (docs/daily-sync.md, "Refill").

export interface RetryOptOutsInput {
  optimizely: OptimizelyPort;
  store: StateStore;
  runId: string;
  listKey: string;
  list: { listId: number };
  signal?: AbortSignal;
}

/**
 * In a retried attempt, for the rows of a re-sent batch now left out as opted out (batch
 * `positions`): one `removeAll` of their recipient ids (idempotent: "not on the list" is as good
 * as removed), then the ledger forgets what a dead attempt recorded for them (their `sent` or
 * `rejected` entry, the batch's codes at their positions), so it says excluded only. Called before the
 * batch's `addAll3`; a crash in between repeats it all, as the batch is not acknowledged.
 */
export async function takeOffOptedOut(
  input: RetryOptOutsInput,
  batchNo: number,
  snapshotRows: readonly SnapshotRow[],
  positions: readonly number[],
): Promise<void> {
  if (positions.length === 0) return;
  const recipientIds = positions.map((position) => String((snapshotRows[position] as unknown as Recipient).recipientId));
  // The client answers one boolean per id or throws OptimizelyResponseError (retried with the batch),
  // so the removal is never assumed; which ids were on the list does not matter here.
  await input.optimizely.recipient.removeAll({ listId: input.list.listId, recipientIds }, { signal: input.signal });
  await input.store.ledger.withdrawSent(input.runId, input.listKey, recipientIds);
  await input.store.ledger.leaveOutOfBatch({ runId: input.runId, listKey: input.listKey, batchNo, positions });
}
