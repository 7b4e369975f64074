import fc from 'fast-check';
import type { ClientConfig } from '../../../src/config/config-schema';
import type { CrmPort } from '../../../src/crm/crm-port';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { closedLoopPages } from '../../../src/feedback/closed-loop-pages';
import { CLOSED_LOOP_MAX_ROWS, type ClosedLoopGetter } from '../../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { ingestWindow } from '../../../src/responses/ingest-window';
import { createStateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { aRun, aSent } from '../../helpers/store-builders';

// A ClosedLoop getter is paged by startRow and ends at a short page. These properties play servers
// that page honestly, off by one (pages overlap), with a stretch of rows reported twice, or not at all
// (startRow ignored, the page order shuffled, clamped to a last page): every reader ends within a
// bounded number of calls, with every event of a window it can read or a typed error naming the
// getter, never asking forever.

type Paging = 'honest' | 'overlapping' | 'reportedTwice' | 'ignoresStartRow' | 'shuffled' | 'stuck';
const PAGINGS: Paging[] = ['honest', 'overlapping', 'reportedTwice', 'ignoresStartRow', 'shuffled', 'stuck'];
/** Calls after which the server stops answering: far past what any window of the draw needs. */
const CALL_BUDGET = 12;

const at = (i: number) => new Date(Date.parse('2026-05-31T00:00:00Z') + i * 1000).toISOString().replace('Z', '+00:00');
const openRow = (i: number): Row => [`r${i}@x.test`, '1001', at(i), '100'];

/** The page a server with this paging answers from `startRow`, over `rows`. */
function pageOf(paging: Paging, rows: readonly Row[], startRow: number, n: number, stuckAfter: number, shuffle: number): Row[] {
  switch (paging) {
    case 'honest':
      return rows.slice(startRow, startRow + n);
    case 'overlapping':
      return rows.slice(Math.max(0, startRow - 1), Math.max(0, startRow - 1) + n);
    case 'ignoresStartRow':
      return rows.slice(0, n);
    case 'shuffled': {
      const page = rows.slice(0, n);
      const k = page.length === 0 ? 0 : (shuffle + startRow) % page.length;
      return [...page.slice(k), ...page.slice(0, k)];
    }
    case 'reportedTwice': {
      // The window's rows, then all of them again (a file Optimizely ingested twice): paged honestly.
      const twice = [...rows, ...rows];
      return twice.slice(startRow, startRow + n);
    }
    case 'stuck': {
      const from = Math.min(startRow, stuckAfter * n);
      return rows.slice(from, from + n);
    }
  }
}

/** Serves `getter` from `rows` with the paging; every other getter answers nothing. Counts the getter's calls. */
function serve(optimizely: FakeOptimizely, getter: ClosedLoopGetter, rows: readonly Row[], draw: Draw): { calls: number } {
  const served = { calls: 0 };
  (optimizely.closedLoop as unknown as Record<string, unknown>)[getter] = async (page: { startRow: number; numberOfRows: number }) => {
    served.calls += 1;
    if (served.calls > CALL_BUDGET) throw new Error(`asked for page ${served.calls} of a window of ${rows.length} rows`);
    return pageOf(draw.paging, rows, page.startRow, page.numberOfRows, draw.stuckAfter, draw.shuffle);
  };
  return served;
}

interface Draw {
  paging: Paging;
  total: number;
  stuckAfter: number;
  shuffle: number;
}

const draws = fc.record({
  paging: fc.constantFrom(...PAGINGS),
  // Around the page size and its multiples, where paging decides.
  total: fc.oneof(fc.integer({ min: 0, max: 2 * CLOSED_LOOP_MAX_ROWS + 5 }), fc.constantFrom(999, 1000, 1001, 2000, 2001)),
  stuckAfter: fc.integer({ min: 1, max: 3 }),
  shuffle: fc.nat(),
});

/** Whether the paging still gives every row of the window at least once and ends. */
const readsWhole = (draw: Draw): boolean =>
  draw.paging === 'honest' ||
  draw.paging === 'overlapping' ||
  // Twice the rows: a period of exactly one page is the one case read as a server that does not page.
  (draw.paging === 'reportedTwice' && draw.total !== CLOSED_LOOP_MAX_ROWS) ||
  draw.total < CLOSED_LOOP_MAX_ROWS ||
  (draw.paging === 'stuck' && draw.total < (draw.stuckAfter + 1) * CLOSED_LOOP_MAX_ROWS);

/** Calls an honest reading of the window makes, plus one: a server that does not page is refused by then. */
const callBound = (draw: Draw) => Math.floor(((draw.paging === 'reportedTwice' ? 2 : 1) * draw.total) / CLOSED_LOOP_MAX_ROWS) + 2;

describe('ClosedLoop paging that does not move on', () => {
  it('feedback import: reads every event of a window once paged, or refuses the getter within a bounded number of calls', async () => {
    await fc.assert(
      fc.asyncProperty(draws, async (draw) => {
        const optimizely = createFakeOptimizely();
        const rows = Array.from({ length: draw.total }, (_, i) => openRow(i));
        const served = serve(optimizely, 'getUnsubscribes', rows, draw);
        const read: string[] = [];
        const outcome = await (async () => {
          for await (const page of closedLoopPages(optimizely, 'getUnsubscribes', { since: 0, until: 1 })) {
            read.push(...page.map((row) => row.recipientId));
          }
        })().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(served.calls).toBeLessThanOrEqual(callBound(draw));
        if (readsWhole(draw)) {
          expect(outcome).toBeUndefined();
          expect([...new Set(read)].sort()).toEqual(rows.map((row) => row[0] as string).sort());
        } else {
          expect(outcome).toBeInstanceOf(OptimizelyResponseError);
          expect((outcome as Error).message).toMatch(
            /^ClosedLoop\.getUnsubscribes: the full page from row \d+ holds the rows of the page from row \d+: /,
          );
        }
      }),
      { numRuns: 60 },
    );
  });

  it('response ingestion: applies every open of a window once paged, or refuses the getter and leaves the watermark', async () => {
    const client = {
      key: 'demo',
      lists: [{ key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' }],
    } as unknown as ClientConfig;
    const window = { since: 0, until: Date.parse('2026-06-01T00:00:00Z') };
    const maxTotal = 2 * CLOSED_LOOP_MAX_ROWS + 5;
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      await store.runs.upsert(aRun({ client: 'demo' }));
      await store.ledger.record(Array.from({ length: maxTotal }, (_, i) => aSent(`r${i}@x.test`, 0)));
      let applied: string[] = [];
      const crm = {
        exportSelection: async function* () {},
        applyFeedback: async () => [],
        applyResponses: async (events: readonly { recipientId: string }[]) => {
          applied.push(...events.map((event) => event.recipientId));
          return events.map((_, index) => ({ index, outcome: 'applied' as const }));
        },
        campaignForMailing: async (mailingId: string) => (mailingId === '1001' ? 'CMP-1' : undefined),
        close: async () => undefined,
      } as unknown as CrmPort;
      await fc.assert(
        fc.asyncProperty(draws, async (draw) => {
          applied = [];
          const optimizely = createFakeOptimizely();
          const rows = Array.from({ length: draw.total }, (_, i) => openRow(i));
          const served = serve(optimizely, 'getOpens', rows, draw);
          const watermark = await store.watermarks.get('demo', 'responses');
          const outcome = await ingestWindow({ client, optimizely, store, crm }, window).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(served.calls).toBeLessThanOrEqual(callBound(draw));
          if (readsWhole(draw)) {
            expect(outcome).toBeUndefined();
          } else {
            expect(outcome).toBeInstanceOf(OptimizelyResponseError);
            expect((outcome as Error).message).toMatch(
              /^ClosedLoop\.getOpens: the full page from row \d+ holds the rows of the page from row \d+: /,
            );
            expect(await store.watermarks.get('demo', 'responses')).toBe(watermark);
          }
          // Nothing applied twice, whatever the paging (a draw after an earlier one finds its opens applied before).
          expect(new Set(applied).size).toBe(applied.length);
        }),
        { numRuns: 20 },
      );
    } finally {
      await store.close();
    }
  });
});
