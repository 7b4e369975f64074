import fc from 'fast-check';
import type { StateStore } from '../../../src/store';
import { refillChunk, type RefillCheckpoint } from '../../../src/sync/refill-chunk';
import type { FakeOptimizely } from '../../helpers/fake-optimizely';
import { REFILL_ATTRIBUTES as ATTRIBUTES, REFILL_LIST as LIST, newsletterRow, refillSetup } from '../../helpers/refill-fixtures';

const BATCHES = 5;

const recipient = (i: number) => newsletterRow(i, `g${i}@example.test`);

/** Where the first attempt breaks: the n-th group write or the n-th addAll3 (past the last: it does not). */
const aCrash = fc.record({ at: fc.constantFrom('group write' as const, 'addAll3' as const), nth: fc.integer({ min: 1, max: 6 }) });

describe('refillChunk with sent-batch rows written in groups', () => {
  let store: StateStore;
  let optimizely: FakeOptimizely;
  let snapshotRef: string;

  beforeAll(async () => {
    const rows = Array.from({ length: BATCHES * 1000 - 300 }, (_, i) => recipient(i));
    ({ store, optimizely, snapshotRef } = await refillSetup(rows, 'run'));
  });

  afterAll(async () => {
    await store.close();
  });

  it('acknowledges a batch only once its row is written, and after a crash anywhere the retry records every batch exactly once', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 6 })),
        aCrash,
        async (concurrency, group, crash) => {
          const runId = `run-${(round += 1)}`;
          optimizely.lists.get(100)?.recipients.clear();
          const durable = new Set<number>();
          let writes = 0;
          // addAll3 calls of the first attempt and of the retry.
          const calls = { first: 0, retry: 0 };
          // The batches the first attempt got into the list.
          const addedByFirst: number[] = [];
          const attempt = (crashes: boolean) => ({
            store: {
              ...store,
              ledger: {
                ...store.ledger,
                recordBatches: async (batches: Parameters<StateStore['ledger']['recordBatches']>[0]) => {
                  if (crashes && crash.at === 'group write' && (writes += 1) === crash.nth) throw new Error('store went away');
                  const inserted = await store.ledger.recordBatches(batches);
                  for (const b of batches) durable.add(b.batchNo);
                  return inserted;
                },
              },
            },
            optimizely: {
              ...optimizely,
              recipient: {
                ...optimizely.recipient,
                addAll3: async (...args: Parameters<FakeOptimizely['recipient']['addAll3']>) => {
                  calls[crashes ? 'first' : 'retry'] += 1;
                  if (crashes && crash.at === 'addAll3' && calls.first === crash.nth) throw new Error('connection reset');
                  const answer = await optimizely.recipient.addAll3(...args);
                  if (crashes) addedByFirst.push(Math.floor(Number(args[0].recipientIds[0]!.slice(1).split('@')[0]) / 1000));
                  return answer;
                },
              },
            },
          });
          const checkpoints: RefillCheckpoint[] = [];
          const ahead: string[] = [];
          const checkpoint = (c: RefillCheckpoint) => {
            // The heartbeat may carry it at once: every batch before it must already be recorded.
            for (let b = 0; b < c.nextBatch; b += 1)
              if (!durable.has(b)) ahead.push(`checkpoint ${c.nextBatch} before batch ${b} was recorded`);
            checkpoints.push(c);
          };
          const base = { client: 'demo', runId, listKey: 'newsletter', list: LIST, attributeNames: ATTRIBUTES, snapshotRef };
          const chunk = {
            ...base,
            firstBatch: 0,
            endBatch: BATCHES,
            concurrency,
            deferLedger: true,
            sentBatchGroup: group ?? undefined,
            checkpoint,
          };
          const first = await refillChunk({ ...chunk, ...attempt(true) }).catch((error: Error) => error);
          const crashed = first instanceof Error;
          const resumeFrom = checkpoints.at(-1);
          const retry = await refillChunk({ ...chunk, ...attempt(false), resumeFrom });

          expect(ahead).toEqual([]);
          expect(retry.nextBatch).toBe(BATCHES);
          expect(optimizely.lists.get(100)?.recipients.size).toBe(BATCHES * 1000 - 300);
          const rows = await store.ledger.batches(runId, 'newsletter');
          expect(rows.map((b) => b.batchNo)).toEqual([0, 1, 2, 3, 4]);
          expect(rows.map((b) => b.resultCodes.length)).toEqual([1000, 1000, 1000, 1000, 700]);
          // Nothing acknowledged is sent again: the retry sends from the checkpoint on, each batch once.
          expect(calls.retry).toBe(BATCHES - (resumeFrom?.nextBatch ?? 0));
          if (!crashed) expect(resumeFrom?.nextBatch).toBe(BATCHES);
          // A crash re-sends no more batches than were in flight: at most `concurrency`, rows held back for a group included.
          expect(addedByFirst.filter((b) => b >= (resumeFrom?.nextBatch ?? 0)).length).toBeLessThanOrEqual(concurrency);
          // Acknowledged batches were added by the first attempt: their rows keep its codes (0).
          for (const b of rows.filter((r) => r.batchNo < (resumeFrom?.nextBatch ?? 0)))
            expect(new Set(b.resultCodes)).toEqual(new Set([0]));
        },
      ),
      { numRuns: 60 },
    );
  });
});
