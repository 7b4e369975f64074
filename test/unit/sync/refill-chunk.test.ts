import { createStateStore, type StateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { attributeNamesFor } from '../../../src/sync/recipient-batch';
import { refillChunk, type RefillCheckpoint } from '../../../src/sync/refill-chunk';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';

const LIST = { listId: 100, optinProcessId: 0 };
const ATTRIBUTES = attributeNamesFor({ first_name: 'firstname' });

function recipient(i: number): SnapshotRow {
  return {
    recipientId: `r${String(i).padStart(5, '0')}@example.test`,
    email: `r${String(i).padStart(5, '0')}@example.test`,
    optInId: '11',
    description: 'Newsletter',
    mediaType: 'email',
    entityType: 'contact',
    entityId: `C${i}`,
    attributes: { firstname: `F${i}` },
  };
}

describe('refillChunk', () => {
  let store: StateStore;
  let optimizely: FakeOptimizely;
  let snapshotRef: string;

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    optimizely = createFakeOptimizely();
    optimizely.addList({ id: 100, name: 'Newsletter', fields: ['email', ...ATTRIBUTES] });
    const rows = Array.from({ length: 4500 }, (_, i) => recipient(i));
    snapshotRef = (await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'run-1' }, rows)).snapshotRef;
  });

  afterEach(async () => {
    await store.close();
  });

  const input = (overrides: Partial<Parameters<typeof refillChunk>[0]> = {}) => ({
    optimizely,
    store,
    runId: 'run-1',
    listKey: 'newsletter',
    list: LIST,
    attributeNames: ATTRIBUTES,
    snapshotRef,
    firstBatch: 0,
    endBatch: 5,
    concurrency: 3,
    checkpoint: () => undefined,
    ...overrides,
  });

  it('sends every batch once, records every result code and checkpoints the acknowledged prefix', async () => {
    const checkpoints: RefillCheckpoint[] = [];
    const result = await refillChunk(input({ checkpoint: (c) => checkpoints.push(c) }));
    expect(result).toEqual({ nextBatch: 5, sent: 4500, resultCodes: { 0: 4500 } });
    expect(optimizely.lists.get(100)?.recipients.size).toBe(4500);
    expect(checkpoints.map((c) => c.nextBatch)).toEqual([...checkpoints.map((c) => c.nextBatch)].sort((a, b) => a - b));
    expect((await store.ledger.count('run-1')).byResultCode).toEqual({ 0: 4500 });
  });

  it('resumes after the checkpoint of a failed attempt without sending acknowledged batches again', async () => {
    const checkpoints: RefillCheckpoint[] = [];
    const addAll3 = optimizely.recipient.addAll3.bind(optimizely.recipient);
    let sends = 0;
    optimizely.recipient.addAll3 = async (call, options) => {
      sends += 1;
      if (sends === 3) throw new Error('connection reset');
      return addAll3(call, options);
    };
    await expect(refillChunk(input({ concurrency: 1, checkpoint: (c) => checkpoints.push(c) }))).rejects.toThrow('connection reset');
    expect(checkpoints.at(-1)).toEqual({ nextBatch: 2, sent: 2000, resultCodes: { 0: 2000 } });
    const resumed = await refillChunk(input({ concurrency: 1, resumeFrom: checkpoints.at(-1) }));
    expect(sends).toBe(3 + 3);
    expect(resumed).toEqual({ nextBatch: 5, sent: 4500, resultCodes: { 0: 4500 } });
    expect(optimizely.lists.get(100)?.recipients.size).toBe(4500);
  });

  it('answers 5 for recipients a crashed attempt already added, and counts them as in the list', async () => {
    await refillChunk(input({ endBatch: 1 }));
    const again = await refillChunk(input());
    expect(again.resultCodes).toEqual({ 0: 3500, 5: 1000 });
  });
});
