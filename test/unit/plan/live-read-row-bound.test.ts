import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import type { OptimizelyPort, Row } from '../../../src/optimizely/client/optimizely-port';
import { createLiveIndex } from '../../../src/plan/live-index';
import { lastPageIndex } from '../../../src/plan/page-chain';
import { planFields } from '../../../src/plan/plan-fields';
import { LIVE_READ_ATTEMPTS, MAX_LIVE_LIST_ROWS, readLiveList } from '../../../src/plan/read-live-list';

// A live read asks for the pages getCount's answer calls for: a count is any int up to 2^31 − 1 (the
// client refuses negative, fractional and larger ones: list-completeness-answers.test.ts), and a
// server answering fresh pages that join up (a runaway list, ids made up) was read page after page
// until the activity's timeout, the scratch index growing with it, and again on every retry. A read
// now reads at most a bound of recipients (MAX_LIVE_LIST_ROWS; a small one here, the reader takes it
// as an option): a count over it is refused before any page, with an OptimizelyResponseError naming
// getCount, the list and the bound; a list of up to the bound is read in full; a server whose pages
// never end under a count within the bound is refused as before (a torn read, three times), within
// LIVE_READ_ATTEMPTS reads of the pages the count calls for.

const FIELDS = planFields({ idField: 'email', emailField: 'email' }, {});
const WIDTH = FIELDS.readNames.length;
const LIST_ID = 100;
/** Ids that sort as their positions do. */
const idAt = (position: number) => `id${String(position).padStart(12, '0')}`;
const row = (position: number): Row => [idAt(position), ...Array.from({ length: WIDTH - 1 }, () => 'v')];

type Server =
  /** getCount answers `count` (anything), every page is full of fresh ids that join up: the list never ends. */
  | { kind: 'endless'; count: number }
  /** A real list of `count` recipients, paged honestly. */
  | { kind: 'honest'; count: number };

/** Page calls past which a reader of the draw would be asking for ever (the bound is at most 200 rows, pages of 3 or more). */
const CALL_BUDGET = 400;

function listServer(server: Server) {
  const served = { countCalls: 0, pageCalls: 0 };
  const port = {
    recipient: {
      getCount: async () => {
        served.countCalls += 1;
        return server.count;
      },
      getAllAdvancedFlat: async ({ pageStart, pageSize }: { pageStart: number; pageSize: number }) => {
        served.pageCalls += 1;
        if (served.pageCalls > CALL_BUDGET) throw new Error(`asked for page ${served.pageCalls}: the read would never end`);
        const length = server.kind === 'endless' ? pageSize : Math.max(0, Math.min(pageSize, server.count - pageStart));
        return Array.from({ length }, (_, i) => row(pageStart + i));
      },
    },
  } as unknown as OptimizelyPort;
  return { port, served };
}

const INT_MAX = 2 ** 31 - 1;
const draws = fc.integer({ min: 1, max: 200 }).chain((bound) =>
  fc.record({
    bound: fc.constant(bound),
    pageSize: fc.integer({ min: 3, max: 10 }),
    concurrency: fc.integer({ min: 1, max: 8 }),
    server: fc.record({
      kind: fc.constantFrom('endless' as const, 'honest' as const),
      // Within the bound, just past it, anywhere up to the largest int a count can be.
      count: fc.oneof(
        fc.integer({ min: 0, max: bound }),
        fc.constantFrom(bound, bound + 1, INT_MAX),
        fc.integer({ min: bound + 1, max: INT_MAX }),
      ),
    }),
  }),
);

describe('a live read reads at most a bound of recipients', () => {
  it('refuses a count over the bound before any page, reads a list up to it in full, and ends an endless one within its reads', async () => {
    await fc.assert(
      fc.asyncProperty(draws, async ({ bound, pageSize, concurrency, server }) => {
        const { port, served } = listServer(server);
        const index = createLiveIndex();
        const outcome = await readLiveList({
          optimizely: port,
          listId: LIST_ID,
          fields: FIELDS,
          index,
          pageSize,
          concurrency,
          maxRows: bound,
        })
          .then((read) => ({ read, ids: index.size() }))
          .catch((error: unknown) => ({ error }))
          .finally(() => index.close());
        if (server.count > bound) {
          expect('error' in outcome && outcome.error).toBeInstanceOf(OptimizelyResponseError);
          expect((outcome as { error: Error }).error.message).toBe(
            `Recipient.getCount: list ${LIST_ID}: counts ${server.count} recipients, more than the ${bound} a live read of a list reads (getAllAdvancedFlat pages): refused before any page is read`,
          );
          expect(served.pageCalls).toBe(0);
          return;
        }
        // Never more pages than the reads the count calls for.
        expect(served.pageCalls).toBeLessThanOrEqual(LIVE_READ_ATTEMPTS * (lastPageIndex(server.count, pageSize) + 1));
        if (server.kind === 'honest') {
          expect(outcome).toEqual({
            read: { count: server.count, rowsRead: server.count, pages: expect.any(Number), rereads: 0 },
            ids: server.count,
          });
        } else {
          expect('error' in outcome && outcome.error).toBeInstanceOf(OptimizelyResponseError);
          expect((outcome as { error: Error }).error.message).toMatch(
            /^Recipient\.getAllAdvancedFlat: list 100 changed while it was read, 3 reads in a row/,
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('by default the bound is MAX_LIVE_LIST_ROWS: a count over it is refused before any page', async () => {
    const { port, served } = listServer({ kind: 'endless', count: MAX_LIVE_LIST_ROWS + 1 });
    const index = createLiveIndex();
    try {
      await expect(readLiveList({ optimizely: port, listId: LIST_ID, fields: FIELDS, index })).rejects.toThrow(
        `Recipient.getCount: list ${LIST_ID}: counts ${MAX_LIVE_LIST_ROWS + 1} recipients, more than the ${MAX_LIVE_LIST_ROWS} a live read`,
      );
    } finally {
      index.close();
    }
    expect(served.pageCalls).toBe(0);
  });
});
