// The production refill (refillChunk) as both refill benchmarks drive it: the list cleared, then one
// snapshot sent in full with the five demo attributes, the ledger deferred as at night.
import type { OptimizelyPort } from '../../src/optimizely/client/optimizely-port';
import type { StateStore } from '../../src/store/state-store';
import { attributeNamesFor } from '../../src/sync/recipient-batch';
import { refillChunk, type RefillCheckpoint } from '../../src/sync/refill-chunk';

const ATTRIBUTE_MAPPING = { firstname: 'firstname', lastname: 'lastname', city: 'city', zip: 'zip', country: 'country' };

export interface ProductionRefill {
  optimizely: OptimizelyPort;
  store: StateStore;
  snapshotRef: string;
  recipients: number;
  listId: number;
  runId: string;
  concurrency: number;
  /** Sent-batch rows per write; the refill's default when unset. */
  sentBatchGroup?: number;
}

/** Clears `listId` and refills it from the snapshot in 1000-recipient batches; the chunk's checkpoint. */
export async function clearAndRefill(input: ProductionRefill): Promise<RefillCheckpoint> {
  await input.optimizely.recipient.clear({ listId: input.listId });
  return refillChunk({
    optimizely: input.optimizely,
    store: input.store,
    client: 'bench',
    runId: input.runId,
    listKey: 'bench',
    list: { listId: input.listId, optinProcessId: 0 },
    attributeNames: attributeNamesFor(ATTRIBUTE_MAPPING),
    snapshotRef: input.snapshotRef,
    firstBatch: 0,
    endBatch: Math.ceil(input.recipients / 1000),
    concurrency: input.concurrency,
    deferLedger: true,
    sentBatchGroup: input.sentBatchGroup,
    checkpoint: () => undefined,
  });
}
