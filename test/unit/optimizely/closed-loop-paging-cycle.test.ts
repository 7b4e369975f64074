import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { closedLoopPages } from '../../../src/feedback/closed-loop-pages';
import { CLOSED_LOOP_MAX_ROWS, type ClosedLoopGetter } from '../../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { ingestWindow } from '../../../src/responses/ingest-window';
import { createStateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { acceptingCrm, NEWSLETTER_CLIENT } from '../../helpers/accepting-crm';

// A server whose full pages come round again in a cycle of two or more (startRow taken modulo what it
// holds, two caches answering in turn, a page list that wraps) never answers a short page, and the
// page before each page is another one: the check against the page before alone let such a window be
// read forever (the feedback import writing its file without bound until the activity's timeout, and
// again on every retry). Any full page whose rows came twice before is refused, so a cycle of p pages
// ends within 2p + 1 calls, while rows reported twice (a file ingested twice) are still read.

const at = (i: number) => new Date(Date.parse('2026-05-31T00:00:00Z') + i * 1000).toISOString().replace('Z', '+00:00');
const openRow = (i: number): Row => [`r${i}@x.test`, '1001', at(i), '100'];

interface Cycle {
  /** Pages in the cycle. */
  period: number;
  /** Full pages before the cycle starts (read once). */
  lead: number;
  /** Rotation of each answered page's rows (a server may order them differently each time). */
  rotation: number;
}

const cycles = fc.record({
  period: fc.integer({ min: 2, max: 5 }),
  lead: fc.integer({ min: 0, max: 2 }),
  rotation: fc.nat(),
});

/** Full pages: `lead` distinct ones, then the `period` pages after them over and over. */
function cyclingGetter(optimizely: FakeOptimizely, getter: ClosedLoopGetter, cycle: Cycle, budget: number): { calls: number } {
  const served = { calls: 0 };
  const n = CLOSED_LOOP_MAX_ROWS;
  (optimizely.closedLoop as unknown as Record<string, unknown>)[getter] = async ({ startRow }: { startRow: number }) => {
    served.calls += 1;
    if (served.calls > budget) throw new Error(`asked for page ${served.calls}: the window would never end`);
    const k = startRow / n;
    const page = k < cycle.lead ? k : cycle.lead + ((k - cycle.lead) % cycle.period);
    const rows = Array.from({ length: n }, (_, i) => openRow(page * n + i));
    const r = (cycle.rotation + k) % n;
    return [...rows.slice(r), ...rows.slice(0, r)];
  };
  return served;
}

/** The calls a cycle may cost before it is refused: its lead, two rounds, and the page that comes a third time. */
const callBound = (cycle: Cycle) => cycle.lead + 2 * cycle.period + 1;
/** Well past the bound: a reader still asking by then would ask forever. */
const budgetOf = (cycle: Cycle) => callBound(cycle) + 20;
const REFUSAL = /^ClosedLoop\.(getUnsubscribes|getOpens): the full page from row \d+ holds the rows of the pages from rows \d+ and \d+: /;

describe('ClosedLoop pages that come round again in a cycle', () => {
  it('feedback import: the getter is refused within 2 periods and a page', async () => {
    await fc.assert(
      fc.asyncProperty(cycles, async (cycle) => {
        const optimizely = createFakeOptimizely();
        const served = cyclingGetter(optimizely, 'getUnsubscribes', cycle, budgetOf(cycle));
        const outcome = await (async () => {
          for await (const page of closedLoopPages(optimizely, 'getUnsubscribes', { since: 0, until: 1 })) void page;
        })().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(outcome).toBeInstanceOf(OptimizelyResponseError);
        expect((outcome as Error).message).toMatch(REFUSAL);
        expect(served.calls).toBeLessThanOrEqual(callBound(cycle));
      }),
      { numRuns: 25 },
    );
  });

  it('response ingestion: the getter is refused within 2 periods and a page, the watermark stays', async () => {
    const client = NEWSLETTER_CLIENT;
    const window = { since: 0, until: Date.parse('2026-06-01T00:00:00Z') };
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    const crm = acceptingCrm();
    try {
      await fc.assert(
        fc.asyncProperty(cycles, async (cycle) => {
          const optimizely = createFakeOptimizely();
          const served = cyclingGetter(optimizely, 'getOpens', cycle, budgetOf(cycle));
          const outcome = await ingestWindow({ client, optimizely, store, crm }, window).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(outcome).toBeInstanceOf(OptimizelyResponseError);
          expect((outcome as Error).message).toMatch(REFUSAL);
          // Read ahead: a page or two may be on the wire when the refused one comes back.
          expect(served.calls).toBeLessThanOrEqual(callBound(cycle) + 2);
          expect(await store.watermarks.get('demo', 'responses')).toBeUndefined();
        }),
        { numRuns: 10 },
      );
    } finally {
      await store.close();
    }
  });

  it('rows reported twice in stretches of several pages are still read', async () => {
    // Pages 0..p-1, then the same p pages again (a file ingested twice), then a short page.
    for (const period of [2, 3]) {
      const optimizely = createFakeOptimizely();
      const n = CLOSED_LOOP_MAX_ROWS;
      const rows = Array.from({ length: period * n }, (_, i) => openRow(i));
      optimizely.closedLoopRows.getUnsubscribes.push(...rows, ...rows, openRow(period * n));
      const read: string[] = [];
      for await (const page of closedLoopPages(optimizely, 'getUnsubscribes', { since: 0, until: 1 }))
        read.push(...page.map((r) => r.recipientId));
      expect(read).toHaveLength(2 * period * n + 1);
    }
  });
});
