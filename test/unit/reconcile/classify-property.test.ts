import fc from 'fast-check';
import { createLiveIndex } from '../../../src/plan/live-index';
import { classifyAgainstLive, type ReconcileSink } from '../../../src/reconcile/classify';
import type { Recipient } from '../../../src/validation/recipient';

// Ids from a small alphabet with case variants, so live and desired overlap, repeat and differ only in case.
const id = fc.constantFrom('ann', 'Ann', 'ANN', 'bob', 'Bob', 'cy', 'dee', 'Dee', 'eve', 'x y', '');
const value = fc.constantFrom('a', 'b', '', null);
const recipient = fc.record({ recipientId: id, first: value }).map(({ recipientId, first }): Recipient => ({
  recipientId,
  email: `${recipientId}@x.test`,
  optInId: '11',
  description: '',
  mediaType: 'email',
  entityType: 'contact',
  entityId: recipientId,
  attributes: first === null ? {} : { first },
}));
const liveRow = fc.record({ recipientId: id, first: value });
const names = ['first'];
const desiredValues = (r: Recipient) => [r.attributes.first ?? null];

describe('classifyAgainstLive', () => {
  it('puts every distinct id of live ∪ desired in exactly one of add, remove, update, unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(liveRow, { maxLength: 12 }), fc.array(recipient, { maxLength: 12 }), async (liveRows, desired) => {
        const live = createLiveIndex();
        try {
          const liveFirst = new Map<string, string | null>();
          for (const row of liveRows) {
            live.put(row.recipientId, [row.first]);
            if (!liveFirst.has(row.recipientId)) liveFirst.set(row.recipientId, row.first);
          }
          const desiredFirst = new Map<string, Recipient>();
          for (const r of desired) if (!desiredFirst.has(r.recipientId)) desiredFirst.set(r.recipientId, r);
          const seen: Record<string, string[]> = { add: [], remove: [], update: [], unchanged: [] };
          const sink: ReconcileSink = {
            add: async (r) => void seen.add!.push(r.recipientId),
            update: async (r, fields) => {
              expect(fields).toEqual(['first']);
              seen.update!.push(r.recipientId);
            },
            unchanged: async (r) => void seen.unchanged!.push(r.recipientId),
            remove: async (recipientId, values) => {
              expect(values).toEqual([liveFirst.get(recipientId)]);
              seen.remove!.push(recipientId);
            },
          };
          const counts = await classifyAgainstLive({ names, desiredValues, live, desired, sink });
          const union = new Set([...liveFirst.keys(), ...desiredFirst.keys()]);
          const all = Object.values(seen).flat();
          // A partition: each id of the union once, nothing else.
          expect(all.length).toBe(union.size);
          expect(new Set(all)).toEqual(union);
          const sameValue = (i: string) => (liveFirst.get(i) ?? '') === (desiredFirst.get(i)!.attributes.first ?? '');
          const both = [...desiredFirst.keys()].filter((i) => liveFirst.has(i));
          expect(new Set(seen.add)).toEqual(new Set([...desiredFirst.keys()].filter((i) => !liveFirst.has(i))));
          expect(new Set(seen.remove)).toEqual(new Set([...liveFirst.keys()].filter((i) => !desiredFirst.has(i))));
          expect(new Set(seen.unchanged)).toEqual(new Set(both.filter(sameValue)));
          expect(new Set(seen.update)).toEqual(new Set(both.filter((i) => !sameValue(i))));
          expect(counts).toEqual({
            add: seen.add!.length,
            remove: seen.remove!.length,
            update: seen.update!.length,
            unchanged: seen.unchanged!.length,
            repeated: desired.length - desiredFirst.size,
          });
        } finally {
          live.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
