import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { createStateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { MAX_REFUSED_PER_BATCH } from '../../../src/sync/isolate-refusals';
import { travellingValuesHash } from '../../../src/sync/recipient-batch';
import { recordSentLedger } from '../../../src/sync/record-sent-ledger';
import { refillChunk } from '../../../src/sync/refill-chunk';
import { REFILL_BATCH_SIZE as BATCH_SIZE } from '../../../workflows/refill-batch';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import { REFILL_ATTRIBUTES as ATTRIBUTES, REFILL_LIST as LIST, newsletterRow } from '../../helpers/refill-fixtures';

// After the clear, whatever set of recipients Optimizely refuses on their own: either the chunk
// fails (too many refused in one batch, or a whole batch refused: the list sync restores), or every
// snapshot row ends exactly once in the ledger, sent or rejected, and the list holds exactly the sent.

const id = (i: number) => `r${String(i).padStart(5, '0')}@example.test`;
const recipient = (i: number): SnapshotRow => newsletterRow(i, id(i));

const scenario = fc.integer({ min: 1, max: 2100 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    refused: fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 14 }),
    deferLedger: fc.boolean(),
    concurrency: fc.integer({ min: 1, max: 3 }),
  }),
);

describe('refillChunk with recipients refused on their own', () => {
  it('fails, or accounts for every snapshot row exactly once and the list holds exactly the sent', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, refused, deferLedger, concurrency }) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const optimizely = createFakeOptimizely();
          optimizely.addList({ id: 100, name: 'Newsletter', fields: ['email', ...ATTRIBUTES] });
          const refusedIds = new Set(refused.map(id));
          const addAll3 = optimizely.recipient.addAll3.bind(optimizely.recipient);
          optimizely.recipient.addAll3 = async (call, options) => {
            if (call.recipientIds.some((r) => refusedIds.has(r)))
              throw new OptimizelyArgumentError(`fault: ${FAULT_TEXTS.recipientRefused}`, { service: 'Recipient', operation: 'addAll3' });
            return addAll3(call, options);
          };
          const { snapshotRef } = await store.snapshots.write(
            { client: 'demo', listKey: 'newsletter', runId: 'run-1' },
            Array.from({ length: size }, (_, i) => recipient(i)),
          );
          const batches = Math.ceil(size / BATCH_SIZE);
          const perBatch = Array.from({ length: batches }, (_, b) => refused.filter((i) => Math.floor(i / BATCH_SIZE) === b).length);
          const batchSize = (b: number) => Math.min(BATCH_SIZE, size - b * BATCH_SIZE);
          const mustFail = perBatch.some((n, b) => n > MAX_REFUSED_PER_BATCH || (n === batchSize(b) && n > 1));
          const run = refillChunk({
            optimizely,
            store,
            client: 'demo',
            runId: 'run-1',
            listKey: 'newsletter',
            list: LIST,
            attributeNames: ATTRIBUTES,
            snapshotRef,
            firstBatch: 0,
            endBatch: batches,
            concurrency,
            deferLedger,
            checkpoint: () => undefined,
          });
          if (mustFail) {
            await expect(run).rejects.toMatchObject({ name: 'RecipientRefusalsError' });
            return;
          }
          const result = await run;
          if (deferLedger) await recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', checkpoint: () => undefined });
          expect(result.sent + (result.rejected ?? 0)).toBe(size);
          expect(result.rejected ?? 0).toBe(refused.length);
          const seen = new Map<string, string>();
          for await (const entry of store.ledger.stream('run-1')) {
            expect(seen.has(entry.recipientId)).toBe(false);
            seen.set(entry.recipientId, entry.outcome);
          }
          expect(seen.size).toBe(size);
          for (let i = 0; i < size; i += 1) expect(seen.get(id(i))).toBe(refusedIds.has(id(i)) ? 'rejected' : 'sent');
          const inList = [...(optimizely.lists.get(100)?.recipients.keys() ?? [])].sort();
          expect(inList).toEqual(Array.from({ length: size }, (_, i) => id(i)).filter((r) => !refusedIds.has(r)));
          // Each refused recipient's travelling values are remembered for the next export, nobody else's.
          const remembered = await store.refusals.forList('demo', 'newsletter');
          expect(remembered.map((r) => r.recipientKey)).toEqual([...refusedIds].sort());
          const hashes = new Map(remembered.map((r) => [r.recipientKey, r.valuesHash]));
          for (const i of refused) expect(hashes.get(id(i))).toBe(travellingValuesHash(recipient(i), ATTRIBUTES));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
