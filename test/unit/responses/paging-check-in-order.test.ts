import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { CLOSED_LOOP_COLUMNS, CLOSED_LOOP_MAX_ROWS } from '../../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { ingestWindow } from '../../../src/responses/ingest-window';
import { createStateStore } from '../../../src/store';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import { acceptingCrm, NEWSLETTER_CLIENT } from '../../helpers/accepting-crm';

// Response ingestion reads a busy getter's pages two at a time (window-pages.ts), and their answers
// come back in any order. The paging check (a server that does not page by startRow is refused) must
// still see each getter's pages in order: a server answering its first page again is refused at the
// page from row 1000, naming row 0, whichever of pages 1000 and 2000 came back first; an honest
// server's window is ingested whole, whatever the order of its answers.

const WINDOW = { since: Date.parse('2026-05-31T00:00:00Z'), until: Date.parse('2026-06-01T00:00:00Z') };
const CLIENT = NEWSLETTER_CLIENT;

/** Row `i` of the opens, distinct for every `i`. */
function openRow(i: number): Row {
  const cells: Record<string, string> = {
    recipientId: `r-${i}@x.test`,
    mailingId: '1001',
    timestamp: new Date(WINDOW.since + (i % 86_400) * 1000).toISOString().replace('Z', '+00:00'),
    recipientListId: '100',
  };
  return CLOSED_LOOP_COLUMNS.getOpens.map((column) => cells[column] ?? '');
}

const CRM = acceptingCrm();

describe("a busy getter's pages are checked in order, whatever order their answers come back in", () => {
  it('refuses a server repeating its first page at row 1000 and ingests an honest window whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.oneof(
          fc.record({ kind: fc.constant('repeatsFirstPage' as const) }),
          fc.record({ kind: fc.constant('honest' as const), total: fc.integer({ min: 0, max: 4 * CLOSED_LOOP_MAX_ROWS }) }),
        ),
        async (s, server) => {
          const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          try {
            const optimizely = createFakeOptimizely();
            // Each answer waits for the scheduler, which releases them in an order of its own.
            optimizely.closedLoop.getOpens = async ({ startRow, numberOfRows }) => {
              await s.schedule(Promise.resolve(), `getOpens ${startRow}`);
              const from = server.kind === 'honest' ? startRow : 0;
              const length = server.kind === 'honest' ? Math.max(0, Math.min(numberOfRows, server.total - startRow)) : numberOfRows;
              return Array.from({ length }, (_, i) => openRow(from + i));
            };
            const outcome = await s.waitFor(
              ingestWindow({ client: CLIENT, optimizely, store, crm: CRM }, WINDOW).then(
                (counts) => Object.values(counts).reduce((sum, c) => sum + c.read, 0),
                (error: unknown) => error as Error,
              ),
            );
            if (server.kind === 'honest') {
              // Every row of the window read once, none twice.
              expect(outcome).toBe(server.total);
            } else {
              expect(outcome).toBeInstanceOf(OptimizelyResponseError);
              expect((outcome as Error).message).toContain('the full page from row 1000 holds the rows of the page from row 0');
            }
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
