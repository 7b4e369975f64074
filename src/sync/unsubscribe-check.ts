import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import type { ResultCode, SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';
import { suppressionKey } from '../validation/suppressions';
import { systemClock } from '../clock';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';
import { inFlightLimit } from './in-flight-limit';
import { refillExclusionEntries } from './refill-exclusion-entries';

/** The `field` of a refill exclusion: the source that decided it, Optimizely's unsubscribe list. */
export const OPTIMIZELY_SOURCE = 'optimizely';

/** A batch split by what Optimizely's unsubscribe list says: send `rows`, ledger `unsubscribed`. */
export interface CheckedBatch {
  /** The rows to send, in snapshot order. */
  rows: SnapshotRow[];
  /** Batch positions (0-based) of the rows Optimizely holds as unsubscribed; they are not sent. */
  unsubscribedPositions: number[];
}

/**
 * Before `addAll3` adds a batch to any list, asks Optimizely's unsubscribe list about every recipient
 * id with one `Unsubscribe.containsAll` call (and about addresses that differ from their id with a
 * second) and leaves out those it holds. Every list is asked, whatever its `optinProcessId`:
 * Optimizely re-activates an unsubscribed recipient by the LIST's type (addAll3 on an opt-in list
 * resets the unsubscribe), which the API cannot read, so a list configured without an opt-in process
 * may still be an opt-in list at Optimizely. Consent is never guessed from the configuration. The
 * answer is checked: anything but one boolean per id is an `OptimizelyResponseError` that fails the
 * batch like a failed `addAll3` (the refill activity retries from its checkpoint); it is never read
 * as "not unsubscribed".
 */
export async function withoutOptimizelyUnsubscribes(optimizely: OptimizelyPort, rows: readonly SnapshotRow[]): Promise<CheckedBatch> {
  if (rows.length === 0) return { rows: [], unsubscribedPositions: [] };
  const recipients = rows as unknown as Recipient[];
  const answer = await askUnsubscribeList(
    optimizely,
    recipients.map((r) => r.recipientId),
  );
  // An address that is not the recipient id is asked too (a second call, only for those rows): the
  // unsubscribe list may hold the person under it.
  const other = recipients.flatMap((r, i) => (r.email !== r.recipientId ? [i] : []));
  if (other.length > 0) {
    const byAddress = await askUnsubscribeList(
      optimizely,
      other.map((i) => recipients[i]!.email),
    );
    other.forEach((position, k) => (answer[position] ||= byAddress[k]!));
  }
  const unsubscribedPositions = answer.flatMap((unsubscribed, i) => (unsubscribed ? [i] : []));
  if (unsubscribedPositions.length === 0) return { rows: [...rows], unsubscribedPositions };
  return { rows: rows.filter((_, i) => !answer[i]), unsubscribedPositions };
}

export interface UnsubscribeCountInput {
  optimizely: OptimizelyPort;
  store: Pick<StateStore, 'snapshots'>;
  snapshotRef: string;
  /** After each batch asked (a heartbeat). */
  onBatch?: () => void;
}

/**
 * Before the clear: how many of the snapshot's recipients the refill's pre-filter would leave out if
 * Optimizely answered the same then, asked batch by batch exactly as the refill asks
 * (withoutOptimizelyUnsubscribes). The guard measures the shrink on what would be sent, so an answer
 * that holds everyone (or most) as unsubscribed holds the run before the clear instead of emptying
 * the list after it. Read-only: the refill asks again right before each addAll3 (someone may
 * unsubscribe while a run is held) and ledgers what it leaves out then. Every list is asked, like
 * the refill (withoutOptimizelyUnsubscribes says why).
 */
export async function countOptimizelyUnsubscribes(input: UnsubscribeCountInput): Promise<number> {
  const counter = unsubscribeCounter(input.optimizely, input.onBatch);
  for await (const batch of input.store.snapshots.batches(input.snapshotRef, { batchSize: REFILL_BATCH_SIZE })) {
    if (!(await counter.ask(batch.rows))) break;
  }
  return counter.total();
}

/**
 * The count's asking, over batches given one by one: a few asked at once (the client's own limit
 * still applies; on a large list the count costs calls of ~100 ms each). `ask` waits while too many
 * are in flight and answers false once one has failed (stop giving batches); `total` waits for all
 * and throws the first failure: an answer that is no answer is never counted as none.
 */
export function unsubscribeCounter(optimizely: OptimizelyPort, onBatch?: () => void) {
  let unsubscribed = 0;
  const tasks = inFlightLimit(COUNT_BATCHES_IN_FLIGHT);
  return {
    async ask(rows: readonly SnapshotRow[]): Promise<boolean> {
      await tasks.room();
      if (tasks.failed) return false;
      tasks.add(
        withoutOptimizelyUnsubscribes(optimizely, rows).then((checked) => {
          unsubscribed += checked.unsubscribedPositions.length;
          onBatch?.();
        }),
      );
      return true;
    },
    async total(): Promise<number> {
      await tasks.idle();
      tasks.throwIfFailed();
      return unsubscribed;
    },
  };
}

/** containsAll calls of the count before the clear at once. */
export const COUNT_BATCHES_IN_FLIGHT = 4;

async function askUnsubscribeList(optimizely: OptimizelyPort, recipientIds: string[]): Promise<boolean[]> {
  return checkedAnswer(await optimizely.unsubscribe.containsAll({ recipientIds }), recipientIds.length);
}

function checkedAnswer(answer: unknown, expected: number): boolean[] {
  const where = { service: 'Unsubscribe', operation: 'containsAll' };
  if (!Array.isArray(answer)) throw new OptimizelyResponseError('expected an array of booleans', where);
  if (answer.length !== expected)
    throw new OptimizelyResponseError(`answered ${answer.length} values for ${expected} recipient ids`, where);
  const bad = answer.findIndex((value) => typeof value !== 'boolean');
  if (bad >= 0) throw new OptimizelyResponseError(`value ${bad} is not a boolean`, where);
  return answer as boolean[];
}

export interface PreFilterInput {
  optimizely: OptimizelyPort;
  store: StateStore;
  client: string;
  runId: string;
  listKey: string;
  now?: () => Date;
}

/**
 * The refill's pre-filter for one batch: `withoutOptimizelyUnsubscribes`, then the left-out recipients
 * are ledgered at once (a few rows): excluded `unsubscribed` in the run's ledger, and an unsubscribe
 * (client-wide, timed at the check, source `unsubscribe_check`) in the suppression ledger, so the
 * next export excludes them before the clear.
 */
export async function excludeOptimizelyUnsubscribes(
  input: PreFilterInput,
  rows: readonly SnapshotRow[],
  batchNo: number,
): Promise<CheckedBatch> {
  const checked = await withoutOptimizelyUnsubscribes(input.optimizely, rows);
  if (checked.unsubscribedPositions.length === 0) return checked;
  await input.store.ledger.record(
    // No selection row: the negated snapshot position, as the refill's other exclusions.
    refillExclusionEntries(
      rows,
      checked.unsubscribedPositions,
      { ...input, batchNo },
      { reason: 'unsubscribed', field: OPTIMIZELY_SOURCE },
    ),
  );
  const occurredAt = (input.now ?? systemClock)().toISOString();
  await input.store.suppressions.record(
    checked.unsubscribedPositions.map((position) => ({
      client: input.client,
      kind: 'unsubscribe',
      recipientKey: suppressionKey((rows[position] as unknown as Recipient).recipientId),
      listId: 0,
      occurredAt,
      source: 'unsubscribe_check',
    })),
  );
  return checked;
}

/** A batch's result codes in snapshot order: the sent rows' codes, 2 (unsubscribed) as the placeholder of each left-out position. */
export function codesInSnapshotOrder(
  sentCodes: readonly ResultCode[],
  unsubscribedPositions: readonly number[],
  size: number,
): ResultCode[] {
  const left = new Set(unsubscribedPositions);
  let next = 0;
  return Array.from({ length: size }, (_, i) => (left.has(i) ? 2 : (sentCodes[next++] ?? 7)));
}
