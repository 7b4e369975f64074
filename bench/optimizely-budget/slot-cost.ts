// What taking a slot costs a SOAP call: the local semaphore against the leased budget on PostgreSQL,
// with 40 calls in flight per worker and a call that holds its slot for one event-loop turn (so the
// figure is the slot's own cost, not a network's). Also: claims (database round trips) per 1000 calls,
// alone and with a second worker competing for the same budget of 40.
import { LeasedSemaphore } from '../../src/optimizely/budget/leased-semaphore';
import type { CallPermits } from '../../src/optimizely/client/call-permits';
import { Semaphore } from '../../src/optimizely/client/semaphore';
import { createStateStore, type StateStore } from '../../src/store';
import type { SlotClaim } from '../../src/store/slot-lease-types';

const LIMIT = 40;

export interface SlotCostResult {
  label: string;
  calls: number;
  usPerCall: number;
  claimsPer1000: number;
}

/** Runs `calls` calls through each permit source at once, LIMIT loops per source. */
async function drive(sources: CallPermits[], calls: number): Promise<number> {
  const perLoop = Math.ceil(calls / (sources.length * LIMIT));
  const started = performance.now();
  await Promise.all(
    sources.flatMap((permits) =>
      Array.from({ length: LIMIT }, async () => {
        for (let i = 0; i < perLoop; i++) {
          const release = await permits.acquire();
          await new Promise((resolve) => setImmediate(resolve));
          release();
        }
      }),
    ),
  );
  return performance.now() - started;
}

/** A leased budget whose claims are counted. */
function leased(store: StateStore, budget: string, holder: string, counter: { claims: number }): LeasedSemaphore {
  const leases = {
    claim: (request: SlotClaim) => {
      counter.claims++;
      return store.slotLeases.claim(request);
    },
  };
  return new LeasedSemaphore({ leases, budget, holder, limit: LIMIT, leaseMs: 30_000 });
}

export async function measureSlotCost(url: string, calls: number): Promise<SlotCostResult[]> {
  const stores = [await createStateStore({ kind: 'postgres', url }), await createStateStore({ kind: 'postgres', url })];
  const results: SlotCostResult[] = [];
  const record = (label: string, ms: number, claims: number, n: number) =>
    results.push({ label, calls: n, usPerCall: (ms * 1000) / n, claimsPer1000: (claims * 1000) / n });
  try {
    await drive([new Semaphore(LIMIT)], calls); // warm-up
    record('local semaphore, one worker', await drive([new Semaphore(LIMIT)], calls), 0, calls);
    const alone = { claims: 0 };
    const one = leased(stores[0]!, 'calls:bench-alone', 'w1', alone);
    record('leased budget (PostgreSQL), one worker', await drive([one], calls), alone.claims, calls);
    await one.close();
    const shared = { claims: 0 };
    const two = [leased(stores[0]!, 'calls:bench-two', 'w1', shared), leased(stores[1]!, 'calls:bench-two', 'w2', shared)];
    record('leased budget (PostgreSQL), two workers sharing 40', await drive(two, calls), shared.claims, calls);
    await Promise.all(two.map((s) => s.close()));
    return results;
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}
