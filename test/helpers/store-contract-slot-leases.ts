import fc from 'fast-check';
import { useStore, type StoreHarness } from './store-harness';
import { waitFor } from './wait-for';

const LONG = 600_000;
let budgets = 0;
/** A budget name of its own per test and property run: leases of one never meet another's. */
const freshBudget = () => `calls:test-${process.pid}-${++budgets}`;

export function describeSlotLeaseContract(harness: StoreHarness): void {
  describe('SlotLeaseStore', () => {
    const subject = useStore(harness);
    const leases = () => subject.store.slotLeases;

    it('grants what is free, never more than the limit across holders, and takes back what a holder gives up', async () => {
      const budget = freshBudget();
      const claim = (holder: string, want: number) => leases().claim({ budget, holder, limit: 10, want, leaseMs: LONG });
      expect(await claim('a', 7)).toEqual({ held: 7, contenders: 1, starving: 0 });
      expect(await claim('b', 6)).toEqual({ held: 3, contenders: 2, starving: 0 });
      expect(await claim('a', 7)).toEqual({ held: 7, contenders: 2, starving: 1 });
      expect(await claim('a', 2)).toMatchObject({ held: 2 });
      expect(await claim('b', 6)).toEqual({ held: 6, contenders: 2, starving: 0 });
      expect(await claim('a', 0)).toEqual({ held: 0, contenders: 1, starving: 0 });
      expect(await leases().leases(budget)).toEqual([{ holder: 'b', slots: 6, wanted: 6 }]);
    });

    it('keeps budgets apart', async () => {
      const [one, two] = [freshBudget(), freshBudget()];
      await leases().claim({ budget: one, holder: 'a', limit: 3, want: 3, leaseMs: LONG });
      expect(await leases().claim({ budget: two, holder: 'b', limit: 3, want: 3, leaseMs: LONG })).toMatchObject({ held: 3 });
    });

    it("returns a holder's slots to the others once its lease has expired, not before", async () => {
      const budget = freshBudget();
      expect(await leases().claim({ budget, holder: 'dead', limit: 4, want: 4, leaseMs: 1500 })).toMatchObject({ held: 4 });
      expect(await leases().claim({ budget, holder: 'alive', limit: 4, want: 2, leaseMs: LONG })).toMatchObject({ held: 0, starving: 0 });
      await waitFor(async () => (await leases().leases(budget)).every((l) => l.holder !== 'dead'), 20_000, 50);
      expect(await leases().claim({ budget, holder: 'alive', limit: 4, want: 2, leaseMs: LONG })).toMatchObject({ held: 2 });
    });

    it('refuses a claim with a negative, fractional or over-limit count', async () => {
      const budget = freshBudget();
      await expect(leases().claim({ budget, holder: 'a', limit: 4, want: -1, leaseMs: LONG })).rejects.toThrow(/want/);
      await expect(leases().claim({ budget, holder: 'a', limit: 4, want: 1.5, leaseMs: LONG })).rejects.toThrow(/want/);
      await expect(leases().claim({ budget, holder: 'a', limit: 4, want: 5, leaseMs: LONG })).rejects.toThrow(/more than the limit/);
      await expect(leases().claim({ budget, holder: 'a', limit: 0, want: 0, leaseMs: LONG })).rejects.toThrow(/limit/);
    });

    it('never grants more than the limit to holders claiming at the same time', async () => {
      const budget = freshBudget();
      const holders = Array.from({ length: 12 }, (_, i) => `h${i}`);
      const results = await Promise.all(holders.map((holder) => leases().claim({ budget, holder, limit: 20, want: 5, leaseMs: LONG })));
      expect(results.reduce((sum, r) => sum + r.held, 0)).toBe(20);
      expect((await leases().leases(budget)).reduce((sum, l) => sum + l.slots, 0)).toBe(20);
    });

    it('keeps every holder within its want and all within the limit, over any sequence of claims', async () => {
      const step = fc.record({ holder: fc.constantFrom('a', 'b', 'c'), want: fc.integer({ min: 0, max: 6 }) });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
          const budget = freshBudget();
          const held = new Map<string, number>();
          const wanted = new Map<string, number>();
          for (const { holder, want } of steps) {
            const before = held.get(holder) ?? 0;
            const free = 6 - [...held].filter(([h]) => h !== holder).reduce((sum, [, n]) => sum + n, 0);
            const result = await leases().claim({ budget, holder, limit: 6, want, leaseMs: LONG });
            // Gives back down to want; grows to want as far as the others leave slots free.
            expect(result.held).toBe(want <= before ? want : Math.max(before, Math.min(want, free)));
            held.set(holder, result.held);
            wanted.set(holder, want);
          }
          const live = await leases().leases(budget);
          expect(live.reduce((sum, l) => sum + l.slots, 0)).toBeLessThanOrEqual(6);
          // A holder that neither holds nor wants a slot leaves no lease behind.
          const expected = [...held].filter(([h, n]) => n > 0 || (wanted.get(h) ?? 0) > 0);
          expect(live.map((l) => [l.holder, l.slots])).toEqual(expected.sort(([a], [b]) => a.localeCompare(b)));
        }),
        { numRuns: 25 },
      );
    });
  });
}
