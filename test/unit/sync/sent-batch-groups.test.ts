import fc from 'fast-check';
import type { SentBatch } from '../../../src/store/types';
import { sentBatchGroups } from '../../../src/sync/sent-batch-groups';

const row = (batchNo: number): SentBatch => ({ runId: 'run', listKey: 'list', snapshotRef: 'snap', batchNo, resultCodes: [0] });

/** A step of the refill: a batch answered (its row queued), the chunk ends (starts no more), or the oldest pending write settles. */
const aStep = fc.oneof(
  { arbitrary: fc.constant({ kind: 'add' as const }), weight: 4 },
  { arbitrary: fc.constant({ kind: 'end' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('settle' as const), fails: fc.boolean() }), weight: 3 },
);

describe('sentBatchGroups', () => {
  it('writes every queued row once, in queue order, a group at a time and one write after another; a row is done only when its write is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(aStep, { maxLength: 40 }), async (size, steps) => {
        const writes: Array<{ rows: number[]; settle: (fails: boolean) => void }> = [];
        const written = new Set<number>();
        let active = 0;
        let maxActive = 0;
        const groups = sentBatchGroups((batches) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          const rows = batches.map((b) => b.batchNo);
          return new Promise<void>((resolve, reject) =>
            writes.push({
              rows,
              settle: (fails) => {
                active -= 1;
                if (fails) return reject(new Error(`write of ${rows.join(',')} failed`));
                rows.forEach((r) => written.add(r));
                resolve();
              },
            }),
          );
        }, size);
        const outcomes = new Map<number, 'done' | string>();
        let settled = 0;
        let next = 0;
        const add = (batchNo: number) =>
          groups.add(row(batchNo)).then(
            () => {
              // Done means durable: its write has succeeded.
              expect(written.has(batchNo)).toBe(true);
              outcomes.set(batchNo, 'done');
            },
            (error: Error) => outcomes.set(batchNo, error.message),
          );
        const pending: Array<Promise<unknown>> = [];
        let ended = false;
        const failedWrites = new Set<number>();
        const settleNext = async (fails: boolean) => {
          // Writes start one after another, each once the previous settled: wait for it to start.
          await new Promise((r) => setImmediate(r));
          const write = writes[settled];
          if (!write) return;
          if (fails) failedWrites.add(settled);
          settled += 1;
          write.settle(fails);
          await new Promise((r) => setImmediate(r));
        };
        for (const step of steps) {
          if (step.kind === 'add') pending.push(add(next++));
          else if (step.kind === 'end') {
            groups.end();
            ended = true;
          } else await settleNext(step.fails);
        }
        // Ended before: every row added since went out by itself, without another call.
        if (!ended) groups.end();
        // Settle the rest: each settled write lets the next queued group start.
        for (;;) {
          await new Promise((r) => setImmediate(r));
          if (settled >= writes.length) break;
          await settleNext(false);
        }
        expect(writes.flatMap((w) => w.rows)).toEqual(Array.from({ length: next }, (_, i) => i));
        await Promise.all(pending);

        expect(maxActive).toBeLessThanOrEqual(1);
        for (const write of writes) expect(write.rows.length).toBeLessThanOrEqual(size);
        writes.forEach((write, k) => {
          for (const r of write.rows)
            expect(outcomes.get(r)).toBe(failedWrites.has(k) ? `write of ${write.rows.join(',')} failed` : 'done');
        });
      }),
      { numRuns: 150 },
    );
  });
});
