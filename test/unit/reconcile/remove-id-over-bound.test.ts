import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { removalBytes, removeLeaverBatch } from '../../../src/reconcile/remove-leavers';
import type { StateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';

// A leaver whose id alone makes a removeAll request larger than the bound (an id read from the live
// list: whatever the server holds) is refused before anything is sent, with the request writer's kind
// of error. It named `attributeValues[<i>]`, the refill's parameter, though a removeAll sends no
// attribute values: the operator was pointed at the wrong thing. It names `recipientIds[<i>]`, the
// leaver's place in the batch, and the operation.

const CALL_OVERHEAD_BYTES = 64 * 1024;

const scenario = fc.record({
  before: fc.integer({ min: 0, max: 40 }),
  after: fc.integer({ min: 0, max: 40 }),
  // The bound, and how far past it the long id's own bytes go.
  bound: fc.integer({ min: CALL_OVERHEAD_BYTES + 1024, max: CALL_OVERHEAD_BYTES + 64 * 1024 }),
  past: fc.integer({ min: 1, max: 4096 }),
  letter: fc.constantFrom('&', 'x', 'ü'),
});

describe('a leaver whose id alone is over the request bound', () => {
  it('is refused before any call, naming its place among the recipient ids and removeAll', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ before, after, bound, past, letter }) => {
        const overhead = removalBytes({ recipientId: '' } as unknown as SnapshotRow);
        const length = Math.ceil((bound - CALL_OVERHEAD_BYTES - overhead + past) / 5);
        const ids = [
          ...Array.from({ length: before }, (_, i) => `b${i}@example.test`),
          letter.repeat(length),
          ...Array.from({ length: after }, (_, i) => `a${i}@example.test`),
        ];
        const rows = ids.map((recipientId, i) => ({ recipientId, entityType: 'contact', entityId: `C${i}` }) as unknown as SnapshotRow);
        let calls = 0;
        const optimizely = {
          recipient: {
            removeAll: async ({ recipientIds }: { recipientIds: string[] }) => {
              calls += 1;
              return recipientIds.map(() => true);
            },
          },
        } as unknown as OptimizelyPort;
        const store = { ledger: { record: async () => undefined } } as unknown as StateStore;
        const error = await removeLeaverBatch(
          { optimizely, store, runId: 'r', listKey: 'l', listId: 1, maxRequestBytes: bound },
          rows,
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(OptimizelyArgumentError);
        expect((error as Error).message).toContain(`recipientIds[${before}]`);
        expect((error as Error).message).not.toContain('attributeValues');
        expect((error as Error).message).toContain('Recipient.removeAll');
        expect(calls).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
