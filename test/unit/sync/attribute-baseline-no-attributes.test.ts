import fc from 'fast-check';
import { createStateStore, type SnapshotRow, type StateStore } from '../../../src/store';
import { compareWithLastGood } from '../../../src/sync/attribute-baseline';
import { attributeReasons } from '../../../src/sync/attribute-guard';
import { guardLimits } from '../../helpers/guard-limits';

// A refresh compares the mapped attributes of the recipients it keeps with the last good run's
// snapshot (docs/daily-sync.md, "Attribute values"). A list that maps no attribute has nothing to
// compare: the comparison read the whole last good snapshot anyway (a million rows on a large list,
// beside the export) to tally recipients kept with no attribute to lose. It no longer reads it.

const NAMES = ['firstname', 'salutation', 'city'];
const id = fc.integer({ min: 0, max: 40 }).map((n) => `r${n}@x.test`);
const value = fc.constantFrom('Anna', 'Zoë', '', '\ufffd', 'NULL');
const rowOf = (recipientId: string, values: readonly string[]): SnapshotRow =>
  ({
    recipientId,
    email: recipientId,
    entityType: 'contact',
    entityId: recipientId,
    attributes: Object.fromEntries(NAMES.map((n, i) => [n, values[i]!])),
  }) as unknown as SnapshotRow;
const rows = fc
  .uniqueArray(fc.record({ id, values: fc.tuple(value, value, value) }), { selector: (r) => r.id, maxLength: 30 })
  .map((drawn) => drawn.map((r) => rowOf(r.id, r.values)));

/** The store, counting the reads of one snapshot (its info, its batches, any batch read). */
function counting(store: StateStore, snapshotRef: () => string) {
  const reads = { n: 0 };
  const snapshots = new Proxy(store.snapshots, {
    get(target, key, receiver) {
      const member = Reflect.get(target, key, receiver) as unknown;
      if (typeof member !== 'function' || !['get', 'batches', 'readBatch', 'verify'].includes(String(key))) return member;
      return (ref: string, ...rest: unknown[]) => {
        if (ref === snapshotRef()) reads.n += 1;
        return (member as (...args: unknown[]) => unknown).call(target, ref, ...rest);
      };
    },
  });
  return { store: { ...store, snapshots } as StateStore, reads };
}

describe('the attribute comparison of a refresh whose list maps no attribute', () => {
  let store: StateStore;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  it('reads the last good snapshot only when the list maps an attribute, and compares nothing without one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(NAMES), rows, rows, async (names, previous, today) => {
        const { snapshotRef } = await store.snapshots.write({ client: 'c', listKey: 'l', runId: `prev-${Math.random()}` }, previous);
        const watched = counting(store, () => snapshotRef);
        const comparison = compareWithLastGood({ store: watched.store, snapshotRef, names });
        await comparison.observe(today);
        const changes = await comparison.result();
        if (names.length === 0) {
          expect(watched.reads.n).toBe(0);
          expect(changes).toBeUndefined();
          expect(attributeReasons(guardLimits({ maxBlankedPercent: 0 }), changes)).toEqual([]);
        } else {
          expect(watched.reads.n).toBeGreaterThan(0);
          const before = new Set(previous.map((r) => r.recipientId));
          expect(changes?.kept).toBe(today.filter((r) => before.has(r.recipientId)).length);
        }
      }),
      { numRuns: 100 },
    );
  });
});
