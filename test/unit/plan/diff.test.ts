import fc from 'fast-check';
import { changedFields, startDiff, type DiffEntry } from '../../../src/plan/diff';
import { createLiveIndex } from '../../../src/plan/live-index';
import type { Cell } from '../../../src/optimizely/client/optimizely-port';

const NAMES = ['email', 'firstname', 'city'];
const cell = fc.oneof(fc.constant(null), fc.constant(''), fc.constantFrom('a', 'b', '=1+1'), fc.string({ maxLength: 3 }));
const values = fc.array(cell, { minLength: NAMES.length, maxLength: NAMES.length });
const id = fc.oneof(fc.constantFrom('a@x.de', 'b@x.de', 'c@x.de', 'd@x.de', 'e@x.de'), fc.string({ minLength: 1, maxLength: 6 }));
/** A set: unique ids, each with values. */
const recipients = fc.uniqueArray(fc.record({ recipientId: id, values }), { selector: (r) => r.recipientId, maxLength: 40 });

async function diff(live: { recipientId: string; values: Cell[] }[], desired: { recipientId: string; values: Cell[] }[]) {
  const index = createLiveIndex();
  try {
    for (const r of live) index.put(r.recipientId, r.values);
    const entries: DiffEntry[] = [];
    const run = startDiff(NAMES, index, (e) => void entries.push(e));
    for (const r of desired) await run.desired(r);
    return { counts: await run.finish(), entries };
  } finally {
    index.close();
  }
}

describe('the plan diff', () => {
  it('partitions both sets exactly: add/update/unchanged cover the desired ids, remove/update/unchanged the live ids', async () => {
    await fc.assert(
      fc.asyncProperty(recipients, recipients, fc.nat(), async (live, desired, overlap) => {
        // Share some ids between both sides, so update and unchanged occur often.
        const shared = live
          .slice(0, overlap % (live.length + 1))
          .map((r, i) => ({ recipientId: r.recipientId, values: i % 2 === 0 ? r.values : [...r.values.slice(0, 2), 'changed'] }));
        const want = [...shared, ...desired.filter((d) => !shared.some((s) => s.recipientId === d.recipientId))];
        const { counts, entries } = await diff(live, want);
        const liveIds = new Set(live.map((r) => r.recipientId));
        const wantIds = new Set(want.map((r) => r.recipientId));
        const of = (change: string) =>
          entries
            .filter((e) => e.change === change)
            .map((e) => e.recipientId)
            .sort();
        expect(of('add')).toEqual([...wantIds].filter((i) => !liveIds.has(i)).sort());
        expect(of('remove')).toEqual([...liveIds].filter((i) => !wantIds.has(i)).sort());
        const both = [...wantIds].filter((i) => liveIds.has(i));
        const changed = both.filter(
          (i) =>
            changedFields(NAMES, want.find((w) => w.recipientId === i)!.values, live.find((l) => l.recipientId === i)!.values).length > 0,
        );
        expect(of('update')).toEqual(changed.sort());
        expect(counts).toEqual({
          add: of('add').length,
          remove: of('remove').length,
          update: changed.length,
          unchanged: both.length - changed.length,
        });
        expect(counts.add + counts.update + counts.unchanged).toBe(want.length);
        expect(counts.remove + counts.update + counts.unchanged).toBe(live.length);
      }),
      { numRuns: 150 },
    );
  });

  it('treats empty and nil as the same value and names the differing fields of an update', async () => {
    const { counts, entries } = await diff(
      [
        { recipientId: 'a@x.de', values: ['a@x.de', null, 'Köln'] },
        { recipientId: 'b@x.de', values: ['b@x.de', 'Bo', 'Bonn'] },
      ],
      [
        { recipientId: 'a@x.de', values: ['a@x.de', '', 'Köln'] },
        { recipientId: 'b@x.de', values: ['b@x.de', 'Bo', 'Berlin'] },
      ],
    );
    expect(counts).toEqual({ add: 0, remove: 0, update: 1, unchanged: 1 });
    expect(entries).toEqual([{ change: 'update', recipientId: 'b@x.de', fields: ['city'] }]);
  });

  it('counts a repeated live id once', () => {
    const index = createLiveIndex();
    try {
      expect(index.put('a', ['a'])).toBe(true);
      expect(index.put('a', ['a'])).toBe(false);
      expect(index.size()).toBe(1);
    } finally {
      index.close();
    }
  });
});
