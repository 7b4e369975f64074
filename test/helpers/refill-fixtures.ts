import { createStateStore, type StateStore } from '../../src/store';
import type { SnapshotRow } from '../../src/store/types';
import { attributeNamesFor } from '../../src/sync/recipient-batch';
import type { RefillChunkInput } from '../../src/sync/refill-chunk';
import { createFakeOptimizely, type FakeOptimizely } from './fake-optimizely';

/** The newsletter list the refillChunk tests fill: Optimizely list 100, no opt-in process. */
export const REFILL_LIST = { listId: 100, optinProcessId: 0 };
export const REFILL_ATTRIBUTES = attributeNamesFor({ first_name: 'firstname' });

/** A newsletter snapshot row for contact C<i> whose recipient id and e-mail are `id`. */
export const newsletterRow = (i: number, id: string): SnapshotRow => ({
  recipientId: id,
  email: id,
  optInId: '11',
  description: 'Newsletter',
  mediaType: 'email',
  entityType: 'contact',
  entityId: `C${i}`,
  attributes: { firstname: `F${i}` },
});

/** A fresh in-memory store holding `rows` as demo's newsletter snapshot of `runId`, and a fake Optimizely with list 100. */
export async function refillSetup(
  rows: SnapshotRow[],
  runId: string,
): Promise<{ store: StateStore; optimizely: FakeOptimizely; snapshotRef: string }> {
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const optimizely = createFakeOptimizely();
  optimizely.addList({ id: 100, name: 'Newsletter', fields: ['email', ...REFILL_ATTRIBUTES] });
  const { snapshotRef } = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId }, rows);
  return { store, optimizely, snapshotRef };
}

/**
 * A refillChunk input for demo's newsletter run `run-1`: list 100 without an opt-in process, one batch
 * from the first, one at a time, checkpoints dropped; `over` sets the rest and anything that differs.
 */
export function refillChunkInput(
  over: Pick<RefillChunkInput, 'optimizely' | 'store' | 'snapshotRef'> & Partial<RefillChunkInput>,
): RefillChunkInput {
  return {
    client: 'demo',
    runId: 'run-1',
    listKey: 'newsletter',
    list: REFILL_LIST,
    attributeNames: REFILL_ATTRIBUTES,
    firstBatch: 0,
    endBatch: 1,
    concurrency: 1,
    checkpoint: () => undefined,
    ...over,
  };
}
