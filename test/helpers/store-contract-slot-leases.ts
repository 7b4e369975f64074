import fc from 'fast-check';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SqlValue } from '../../src/db/sql-db';
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

    // The lease table is shared by every worker and outlives them: a row left by a bug, an older
    // version or a hand edit must not let the budget be exceeded (a negative count frees slots that
    // are in use) nor block it for good (a count above the limit, an expiry far beyond any lease).
    it('never exceeds the limit and is never blocked past the longest lease, whatever rows the table holds', async () => {
      const dialectNow =
        subject.config.kind === 'postgres' ? 'EXTRACT(EPOCH FROM clock_timestamp()) * 1000' : "(julianday('now') - 2440587.5) * 86400000";
      const garbageValue = fc.constantFrom<SqlValue | 'text'>(-1000, -1, 0, 1, 3, 6, 7, 2 ** 31 - 1, 'text');
      const garbageRow = fc.record({
        slots: garbageValue,
        wanted: garbageValue,
        expiresInMs: fc.constantFrom(-1000, 60_000, 3_600_000, 10 ** 12),
      });
      const db = openSqlDb(subject.config);
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(garbageRow, { minLength: 1, maxLength: 4 }),
            fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
            async (rows, wants) => {
              const budget = freshBudget();
              for (const [i, row] of rows.entries()) {
                // Text in an integer column only SQLite keeps; PostgreSQL refuses it, so that row is skipped there.
                if (subject.config.kind === 'postgres' && (row.slots === 'text' || row.wanted === 'text')) continue;
                await db.run(
                  `INSERT INTO optimizely_slot_leases (budget, holder, slots, wanted, expires_at_ms) VALUES (?, ?, ?, ?, CAST(${dialectNow} AS BIGINT) + ?)`,
                  [
                    budget,
                    `garbage-${i}`,
                    row.slots === 'text' ? 'lots' : row.slots,
                    row.wanted === 'text' ? 'lots' : row.wanted,
                    row.expiresInMs,
                  ],
                );
              }
              // Rows a real holder could have written: whole counts within the limit, a lease of at most 10 minutes.
              const plausible = (v: SqlValue | 'text') => typeof v === 'number' && v >= 0 && v <= 6;
              const honest = rows.filter((r) => plausible(r.slots) && plausible(r.wanted) && r.expiresInMs > 0 && r.expiresInMs <= 600_000);
              const honestSlots = honest.reduce((sum, r) => sum + (r.slots as number), 0);
              let granted = 0;
              for (const [i, want] of wants.entries()) {
                granted += (await leases().claim({ budget, holder: `worker-${i}`, limit: 6, want, leaseMs: LONG })).held;
              }
              // Slots the garbage claims to hold never make room: what is granted fits beside the honest rows.
              expect(granted).toBeLessThanOrEqual(Math.max(0, 6 - honestSlots));
              // And rows no holder could have written do not keep anyone out.
              if (honestSlots === 0)
                expect(granted).toBe(
                  Math.min(
                    6,
                    wants.reduce((sum, w) => sum + w, 0),
                  ),
                );
            },
          ),
          { numRuns: 40 },
        );
      } finally {
        await db.close();
      }
    });
  });
}
