import fc from 'fast-check';
import type { ResultCode, SentBatch } from '../../src/store/types';
import { useStore, type StoreHarness } from './store-harness';

const codes = fc.array(fc.integer({ min: 0, max: 7 }) as fc.Arbitrary<ResultCode>, { minLength: 1, maxLength: 12 });
/** A batch of one of two lists with a few batch numbers, so groups repeat batches within and across them. */
const aBatch = fc.record({
  listKey: fc.constantFrom('newsletter', 'offers'),
  batchNo: fc.integer({ min: 0, max: 15 }),
  resultCodes: codes,
});
/** Groups up to 130 batches: over 100 a group is several statements in one transaction. */
const aGroup = fc.record({
  batches: fc.oneof(fc.array(aBatch, { maxLength: 10 }), fc.array(aBatch, { minLength: 95, maxLength: 130 })),
  // A batch whose codes a store must refuse: nothing of its group may be recorded.
  badAt: fc.option(fc.nat(), { freq: 4 }),
});

export function describeSentBatchGroupContract(harness: StoreHarness): void {
  describe('LedgerStore.recordBatches', () => {
    const subject = useStore(harness);
    let round = 0;

    it('records groups of batches all or none, each batch with its first codes, whatever the groups and repeats', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(aGroup, { minLength: 1, maxLength: 5 }), async (groups) => {
          const runId = `groups-${(round += 1)}`;
          const model = new Map<string, SentBatch>();
          for (const { batches, badAt } of groups) {
            const group: SentBatch[] = batches.map((b) => ({ runId, snapshotRef: 'snap-g', ...b }));
            if (badAt !== null && group.length > 0) {
              const at = badAt % group.length;
              group[at] = { ...group[at]!, resultCodes: [0, 9 as ResultCode] };
              await expect(subject.store.ledger.recordBatches(group)).rejects.toThrow(
                /^Sent batch \d+ of list \w+: result code at position 1/,
              );
              continue;
            }
            const fresh = new Map<string, SentBatch>();
            for (const batch of group) {
              const key = `${batch.listKey}/${batch.batchNo}`;
              if (!model.has(key) && !fresh.has(key)) fresh.set(key, batch);
            }
            expect(await subject.store.ledger.recordBatches(group)).toBe(fresh.size);
            for (const [key, batch] of fresh) model.set(key, batch);
          }
          for (const listKey of ['newsletter', 'offers']) {
            const expected = [...model.values()].filter((b) => b.listKey === listKey).sort((a, b) => a.batchNo - b.batchNo);
            expect(await subject.store.ledger.batches(runId, listKey)).toEqual(expected);
          }
        }),
        { numRuns: 20 },
      );
    });
  });

  describe('LedgerStore.leaveOutOfBatch', () => {
    const subject = useStore(harness);
    let round = 0;

    it('marks positions of a recorded batch left out over its first codes, and leaves an unrecorded batch alone', async () => {
      const left = fc.array(fc.nat(11), { maxLength: 4 });
      await fc.assert(
        fc.asyncProperty(
          codes,
          fc.array(fc.nat(11), { maxLength: 3 }),
          left,
          fc.boolean(),
          async (first, rejected, positions, recorded) => {
            const runId = `left-${(round += 1)}`;
            const inside = (ps: number[]) => [...new Set(ps.filter((p) => p < first.length))].sort((a, b) => a - b);
            const batch: SentBatch = { runId, listKey: 'newsletter', snapshotRef: 'snap-l', batchNo: 3, resultCodes: first };
            const rejectedPositions = inside(rejected);
            if (rejectedPositions.length > 0) batch.rejectedPositions = rejectedPositions;
            if (recorded) await subject.store.ledger.recordBatch(batch);
            const leave = inside(positions);
            const changed = await subject.store.ledger.leaveOutOfBatch({ runId, listKey: 'newsletter', batchNo: 3, positions: leave });
            expect(changed).toBe(recorded && leave.length > 0);
            if (!recorded) return void expect(await subject.store.ledger.batches(runId, 'newsletter')).toEqual([]);
            // Left out wins over a rejection or a code; the rest keep their first codes.
            const stillRejected = rejectedPositions.filter((p) => !leave.includes(p));
            const expected: SentBatch = {
              ...batch,
              resultCodes: first.map((code, i) => (leave.includes(i) ? 2 : rejectedPositions.includes(i) ? 7 : code)),
              ...(stillRejected.length > 0 ? { rejectedPositions: stillRejected } : {}),
              ...(leave.length > 0 ? { unsubscribedPositions: leave } : {}),
            };
            if (stillRejected.length === 0) delete expected.rejectedPositions;
            expect(await subject.store.ledger.batches(runId, 'newsletter')).toEqual([expected]);
            // Again: nothing changes.
            expect(await subject.store.ledger.leaveOutOfBatch({ runId, listKey: 'newsletter', batchNo: 3, positions: leave })).toBe(false);
          },
        ),
        { numRuns: 30 },
      );
    });

    it('refuses a position outside the batch', async () => {
      const batch: SentBatch = { runId: 'left-outside', listKey: 'newsletter', snapshotRef: 'snap-l', batchNo: 0, resultCodes: [0, 0] };
      await subject.store.ledger.recordBatch(batch);
      await expect(
        subject.store.ledger.leaveOutOfBatch({ runId: 'left-outside', listKey: 'newsletter', batchNo: 0, positions: [2] }),
      ).rejects.toThrow(/left-out position 2 is outside the batch/);
    });
  });
}
