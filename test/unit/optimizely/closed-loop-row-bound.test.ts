import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { closedLoopPages } from '../../../src/feedback/closed-loop-pages';
import { CLOSED_LOOP_COLUMNS, CLOSED_LOOP_MAX_ROWS, type ClosedLoopGetter } from '../../../src/optimizely/api/closed-loop-columns';
import { CLOSED_LOOP_MAX_ROWS_PER_WINDOW, ClosedLoopPagingCheck } from '../../../src/optimizely/client/closed-loop-paging-check';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { ingestWindow } from '../../../src/responses/ingest-window';
import { emptyCounts } from '../../../src/responses/response-counts';
import { RESPONSE_GETTERS } from '../../../src/responses/response-rows';
import { PAGES_IN_FLIGHT_PER_GETTER } from '../../../src/responses/window-pages';
import { createStateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { acceptingCrm, NEWSLETTER_CLIENT } from '../../helpers/accepting-crm';

// A ClosedLoop getter is paged by startRow until a short page. The paging check refuses a page that
// repeats the page before and pages that come round in a cycle, but a server answering fresh, distinct
// full pages for ever (a runaway query, rows made up, startRow read as a seed) was read until the
// activity's timeout: the feedback import writing its file without bound, the response window
// ingesting without bound, and again on every retry. Each getter is now read for at most a bound of
// rows over one window (CLOSED_LOOP_MAX_ROWS_PER_WINDOW; a small one here, the readers take it as an
// option): a page taking it past the bound is refused with an OptimizelyResponseError naming the
// getter, the window and the bound, within floor(bound / 1000) + 1 calls of the getter (response
// ingestion reads a busy getter a page ahead, window-pages.ts: one call more at most); a window of up
// to the bound's rows is read in full, by both readers.

const WINDOW = { since: Date.parse('2026-05-31T00:00:00Z'), until: Date.parse('2026-06-01T00:00:00Z') };
const WINDOW_NAMED = 'window 2026-05-31T00:00:00.000Z to 2026-06-01T00:00:00.000Z';

/** Row `i` of a getter, every cell in its column (closed-loop-columns.ts); distinct for every `i`, and per seed. */
function rowOf(getter: ClosedLoopGetter, seed: number, i: number): Row {
  const cells: Record<string, string> = {
    recipientId: `r${seed}-${i}@x.test`,
    mailingId: '1001',
    timestamp: new Date(WINDOW.since + (i % 86_400) * 1000).toISOString().replace('Z', '+00:00'),
    recipientListId: '100',
    category: 'hardbounce',
    linkId: '7',
    linkUrl: 'https://x.test/',
  };
  return CLOSED_LOOP_COLUMNS[getter].map((column) => cells[column] ?? '');
}

type Server =
  /** Fresh full pages for ever, in the order of startRow. */
  | { kind: 'endless'; seed: number }
  /** Fresh full pages for ever, each page's rows another rotation, whatever startRow says (a seed). */
  | { kind: 'endlessIgnoringStartRow'; seed: number }
  /** Fresh pages for ever, each longer than asked (the client refuses them; another port might not). */
  | { kind: 'endlessOverfull'; seed: number; extra: number }
  /** A finite window, paged honestly: `total` rows. */
  | { kind: 'honest'; total: number; seed: number };

/** Calls past which no reader of the draw should ask: a reader still asking by then would ask for ever. */
const CALL_BUDGET = 12;

/** Serves `getter` as the server does; every other getter answers no rows. Counts the getter's calls and rows. */
function serve(optimizely: FakeOptimizely, getter: ClosedLoopGetter, server: Server): { calls: number; rows: number } {
  const served = { calls: 0, rows: 0 };
  (optimizely.closedLoop as unknown as Record<string, unknown>)[getter] = async ({
    startRow,
    numberOfRows,
  }: {
    startRow: number;
    numberOfRows: number;
  }) => {
    served.calls += 1;
    if (served.calls > CALL_BUDGET) throw new Error(`asked for page ${served.calls}: the window would never end`);
    const from = server.kind === 'endlessIgnoringStartRow' ? served.calls * numberOfRows : startRow;
    const length =
      server.kind === 'honest'
        ? Math.max(0, Math.min(numberOfRows, server.total - startRow))
        : numberOfRows + (server.kind === 'endlessOverfull' ? server.extra : 0);
    served.rows += length;
    return Array.from({ length }, (_, i) => rowOf(getter, server.seed, from + i));
  };
  return served;
}

// Bounds around and between page multiples (1000 to 4500 rows): the budget of 12 calls is far past any.
const bounds = fc.oneof(fc.integer({ min: CLOSED_LOOP_MAX_ROWS, max: 4500 }), fc.constantFrom(1000, 2000, 3000, 1999, 2001));
const maxCalls = (bound: number) => Math.floor(bound / CLOSED_LOOP_MAX_ROWS) + 1;

/** An endless server, or an honest one with up to the bound's rows (read in full) or past it (refused). */
const draws = bounds.chain((bound) =>
  fc.record({
    bound: fc.constant(bound),
    server: fc.oneof(
      fc.record({ kind: fc.constant('endless' as const), seed: fc.nat(9) }),
      fc.record({ kind: fc.constant('endlessIgnoringStartRow' as const), seed: fc.nat(9) }),
      fc.record({
        kind: fc.constant('endlessOverfull' as const),
        seed: fc.nat(9),
        extra: fc.integer({ min: 1, max: 2 * CLOSED_LOOP_MAX_ROWS }),
      }),
      fc.record({
        kind: fc.constant('honest' as const),
        total: fc.oneof(
          fc.integer({ min: 0, max: bound }),
          fc.constant(bound),
          fc.integer({ min: bound + 1, max: bound + 2 * CLOSED_LOOP_MAX_ROWS }),
        ),
        seed: fc.nat(9),
      }),
    ),
  }),
);

const readsWhole = (draw: { bound: number; server: Server }) => draw.server.kind === 'honest' && draw.server.total <= draw.bound;

function expectRefusal(outcome: unknown, getter: ClosedLoopGetter, bound: number): void {
  expect(outcome).toBeInstanceOf(OptimizelyResponseError);
  const message = (outcome as Error).message;
  expect(message.startsWith(`ClosedLoop.${getter}: ${WINDOW_NAMED}: the page from row `)).toBe(true);
  expect(message).toContain(`past ${bound} rows, the most one getter is read for over one window`);
}

const FEEDBACK_GETTERS = ['getOutBounces', 'getUnsubscribes', 'getMailingUnsubscribes'] as const satisfies readonly ClosedLoopGetter[];
const RESPONSE_GETTERS_READ = [
  'getOutBounces',
  'getUnsubscribes',
  'getOpens',
  'getClicks',
] as const satisfies readonly (typeof RESPONSE_GETTERS)[number][];

describe('ClosedLoop getters are read for at most a bound of rows over a window', () => {
  it('feedback import: a window of up to the bound is read in full, anything past it refused within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(draws, fc.constantFrom(...FEEDBACK_GETTERS), async (draw, getter) => {
        const optimizely = createFakeOptimizely();
        const served = serve(optimizely, getter, draw.server);
        let yielded = 0;
        const outcome = await (async () => {
          for await (const page of closedLoopPages(optimizely, getter, WINDOW, { maxRows: draw.bound })) yielded += page.length;
        })().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(served.calls).toBeLessThanOrEqual(maxCalls(draw.bound));
        expect(yielded).toBeLessThanOrEqual(draw.bound);
        if (readsWhole(draw)) {
          expect(outcome).toBeUndefined();
          expect(yielded).toBe((draw.server as { total: number }).total);
        } else {
          expectRefusal(outcome, getter, draw.bound);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('response ingestion: a window of up to the bound is ingested and the watermark moves; past it refused, the watermark stays', async () => {
    const client = NEWSLETTER_CLIENT;
    const crm = acceptingCrm();
    await fc.assert(
      fc.asyncProperty(
        draws,
        fc.constantFrom(...RESPONSE_GETTERS_READ),
        // A retried attempt resuming part-way (at a page of the getter) is bound the same way: startRow counts.
        fc.nat(3),
        async (draw, getter, resumePage) => {
          const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          try {
            const optimizely = createFakeOptimizely();
            const served = serve(optimizely, getter, draw.server);
            const startRow = Math.min(resumePage, Math.floor(draw.bound / CLOSED_LOOP_MAX_ROWS)) * CLOSED_LOOP_MAX_ROWS;
            const resumeFrom =
              resumePage === 0 ? undefined : { getterIndex: RESPONSE_GETTERS.indexOf(getter), startRow, counts: emptyCounts() };
            const outcome = await ingestWindow(
              { client, optimizely, store, crm, maxRowsPerGetter: draw.bound, ...(resumeFrom ? { resumeFrom } : {}) },
              WINDOW,
            ).then(
              () => undefined,
              (error: unknown) => error,
            );
            // A busy getter has PAGES_IN_FLIGHT_PER_GETTER pages on the wire: those past the refused one are read in vain.
            const readAhead = PAGES_IN_FLIGHT_PER_GETTER - 1;
            expect(served.calls).toBeLessThanOrEqual(maxCalls(draw.bound) + readAhead);
            // Those calls' pages and no more: at most a page each (an over-full server's longer pages).
            const pageRows = CLOSED_LOOP_MAX_ROWS + (draw.server.kind === 'endlessOverfull' ? draw.server.extra : 0);
            expect(served.rows).toBeLessThanOrEqual((maxCalls(draw.bound) + readAhead) * pageRows);
            const watermark = await store.watermarks.get('demo', 'responses');
            if (readsWhole(draw)) {
              expect(outcome).toBeUndefined();
              expect(watermark).toBe(new Date(WINDOW.until).toISOString());
            } else {
              expectRefusal(outcome, getter, draw.bound);
              expect(watermark).toBeUndefined();
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('by default the bound is CLOSED_LOOP_MAX_ROWS_PER_WINDOW: its last full page passes, a row past it is refused', () => {
    const check = new ClosedLoopPagingCheck('getOpens', WINDOW);
    const last = CLOSED_LOOP_MAX_ROWS_PER_WINDOW - CLOSED_LOOP_MAX_ROWS;
    expect(() =>
      check.check(
        last,
        Array.from({ length: CLOSED_LOOP_MAX_ROWS }, (_, i) => rowOf('getOpens', 0, last + i)),
      ),
    ).not.toThrow();
    let refusal: unknown;
    try {
      check.check(CLOSED_LOOP_MAX_ROWS_PER_WINDOW, [rowOf('getOpens', 0, CLOSED_LOOP_MAX_ROWS_PER_WINDOW)]);
    } catch (error) {
      refusal = error;
    }
    expectRefusal(refusal, 'getOpens', CLOSED_LOOP_MAX_ROWS_PER_WINDOW);
  });
});
