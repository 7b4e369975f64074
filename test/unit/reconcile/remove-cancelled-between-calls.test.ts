import fc from 'fast-check';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { removeLeaverBatch } from '../../../src/reconcile/remove-leavers';
import { createStateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';

// bdcaaa9 sends a batch of leavers in several removeAll calls and says no call is begun after the
// activity's cancellation, each answered call's leavers ledgered; its property test never cancelled.
// Here the cancel comes while any call of a split batch is in flight (answered or not): no later call
// is made, and the ledger holds exactly the leavers of the calls answered before it.

const scenario = fc.record({
  ids: fc.integer({ min: 1, max: 2600 }),
  cancelAtCall: fc.integer({ min: 1, max: 4 }),
  answered: fc.boolean(),
});

describe('removeLeaverBatch cancelled while a call of a split batch is in flight', () => {
  it('begins no call after it, with the leavers of each answered call ledgered', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ ids, cancelAtCall, answered }) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const rows = Array.from(
            { length: ids },
            (_, i) => ({ recipientId: `l${i}@example.test`, entityType: 'contact', entityId: `C${i}` }) as unknown as SnapshotRow,
          );
          const controller = new AbortController();
          const sent: string[][] = [];
          const optimizely = {
            recipient: {
              removeAll: async ({ recipientIds }: { recipientIds: string[] }) => {
                sent.push([...recipientIds]);
                if (sent.length === cancelAtCall) {
                  controller.abort(new Error('activity cancelled'));
                  if (!answered) throw new Error('activity cancelled');
                }
                return recipientIds.map(() => true);
              },
            },
          } as unknown as OptimizelyPort;
          const outcome = await removeLeaverBatch(
            { optimizely, store, runId: 'r', listKey: 'l', listId: 1, signal: controller.signal },
            rows,
          ).then(
            () => 'finished',
            () => 'stopped',
          );
          const callsNeeded = Math.ceil(ids / 1000);
          const ledgered: string[] = [];
          for await (const entry of store.ledger.stream('r')) ledgered.push(entry.recipientId);
          if (cancelAtCall > callsNeeded) {
            expect(outcome).toBe('finished');
            expect(ledgered.length).toBe(ids);
            return;
          }
          // The last call answered and the batch done: nothing was left to begin.
          if (cancelAtCall === callsNeeded && answered) expect(outcome).toBe('finished');
          else expect(outcome).toBe('stopped');
          expect(sent.length).toBe(cancelAtCall);
          const answeredIds = sent.slice(0, answered ? cancelAtCall : cancelAtCall - 1).flat();
          expect(ledgered.sort()).toEqual(answeredIds.sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
