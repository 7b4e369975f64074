import fc from 'fast-check';
import type { ClientConfig } from '../../../src/config/config-schema';
import type { CrmPort } from '../../../src/crm/crm-port';
import { ingestWindow, MAX_UNANSWERED_PAGES, type WindowCheckpoint } from '../../../src/responses/ingest-window';
import { addCounts, emptyCounts } from '../../../src/responses/response-counts';
import type { OpenWindowIngester, PagePosition } from '../../../src/responses/window-ingester';
import { createStateStore, type StateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';

// The reading side hands a window's pages to the ingester without waiting for each answer: up to
// `unanswered` pages are open while it reads, decodes and classifies the next ones. For any rows,
// commit size, pipeline depth, answer delays and a page the ingester refuses: never more pages open
// than allowed (memory stays a few pages), every heartbeat is a commit the ingester answered with the
// counts of exactly the pages before it, nothing is being applied once the window has failed, and a
// retry from the last heartbeat leaves every row committed, none committed twice past that heartbeat.

const CLIENT = { key: 'demo', lists: [{ key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' }] } as unknown as ClientConfig;
const WINDOW = { since: 0, until: Date.parse('2026-06-01T00:00:00Z') };
const OPENS = 5;
const CLICKS = 6;
const at = (i: number) => new Date(Date.parse('2026-05-31T00:00:00Z') + i * 1000).toISOString().replace('Z', '+00:00');
const position = (p: PagePosition) => `${p.getterIndex}:${p.startRow}`;

interface Log {
  /** Per page handed in: where, how many rows, and how many pages handed before it were still open. */
  handed: Array<{ at: string; rows: number; openBefore: number }>;
  open: number;
  /** Rows committed, by the position of their page. */
  committed: Map<string, number>;
  /** Pages still being worked on when the window ended. */
  busy: number;
}

/**
 * A window's ingester with the contract of the real ones (pages applied in the order handed in, the
 * held ones committed at `commitAt`, none after a failed page) that answers each page after a few
 * event-loop turns, and refuses page `failAt`.
 */
function scriptedIngester(log: Log, delays: readonly number[], failAt: number | undefined): OpenWindowIngester {
  return (setup) => {
    const counts = addCounts(emptyCounts(), setup.counts);
    let held: Array<{ at: string; rows: number }> = [];
    let chain: Promise<unknown> = Promise.resolve();
    return {
      ingest(page, rows, commitAt) {
        const index = log.handed.length;
        log.handed.push({ at: position(page), rows: rows.length, openBefore: log.open });
        log.open += 1;
        log.busy += 1;
        const answer = chain.then(async () => {
          for (let turn = 0; turn < (delays[index % delays.length] ?? 0); turn += 1) await new Promise((resolve) => setImmediate(resolve));
          if (index === failAt) throw new Error(`page ${index} refused`);
          held.push({ at: position(page), rows: rows.length });
          if (!commitAt) return undefined;
          for (const p of held) {
            log.committed.set(p.at, (log.committed.get(p.at) ?? 0) + 1);
            counts.open.read += p.rows;
          }
          held = [];
          return { ...commitAt, counts: addCounts(emptyCounts(), counts) };
        });
        const done = () => {
          log.open -= 1;
          log.busy -= 1;
        };
        answer.then(done, done);
        chain = answer;
        return answer;
      },
      close: async () => undefined,
    };
  };
}

const scenario = fc.record({
  opens: fc.integer({ min: 0, max: 4500 }),
  clicks: fc.integer({ min: 0, max: 3500 }),
  pagesPerCommit: fc.integer({ min: 1, max: 4 }),
  unanswered: fc.integer({ min: 1, max: 7 }),
  delays: fc.array(fc.nat(4), { minLength: 1, maxLength: 12 }),
  failAt: fc.option(fc.nat(12), { nil: undefined }),
});

/** Rows before `p` in the window: what a checkpoint at `p` has counted. */
function rowsBefore(p: PagePosition, opens: number, clicks: number): number {
  if (p.getterIndex < OPENS) return 0;
  if (p.getterIndex === OPENS) return Math.min(p.startRow, opens);
  return opens + (p.getterIndex === CLICKS ? Math.min(p.startRow, clicks) : clicks);
}

describe('pipelined hand-over of a window’s pages', () => {
  let store: StateStore;
  let optimizely: FakeOptimizely;
  const crm = {} as CrmPort;

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    optimizely = createFakeOptimizely();
  });

  afterEach(async () => {
    await store.close();
  });

  it('keeps at most the allowed pages open, never beats past a page not committed, and a retry commits every row', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ opens, clicks, pagesPerCommit, unanswered, delays, failAt }) => {
        await store.close();
        store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        optimizely = createFakeOptimizely();
        optimizely.closedLoopRows.getOpens.push(...Array.from({ length: opens }, (_, i) => [`r${i}@x.test`, '1001', at(i), '100']));
        optimizely.closedLoopRows.getClicks.push(
          ...Array.from({ length: clicks }, (_, i) => [`r${i}@x.test`, '1001', at(i), '100', '7', 'https://x.test/a']),
        );
        const log: Log = { handed: [], open: 0, committed: new Map(), busy: 0 };
        const beats: WindowCheckpoint[] = [];
        const attempt = (resumeFrom: WindowCheckpoint | undefined, fail: number | undefined) =>
          ingestWindow(
            {
              client: CLIENT,
              optimizely,
              store,
              crm,
              pagesPerCommit,
              unanswered,
              openIngester: scriptedIngester(log, delays, fail),
              heartbeat: (c) => {
                // A beat never passes a page handed in and not committed yet, and counts exactly the rows before it.
                for (const h of log.handed) if (before(pageAt(h.at), c)) expect(log.committed.has(h.at)).toBe(true);
                expect(c.counts.open.read).toBe(rowsBefore(c, opens, clicks));
                const last = beats.at(-1);
                if (last) expect(before(c, last)).toBe(false);
                beats.push(structuredClone(c));
              },
              ...(resumeFrom ? { resumeFrom } : {}),
            },
            WINDOW,
          );

        const failed = await attempt(undefined, failAt).then(
          () => false,
          (error: Error) => {
            expect(error.message).toBe(`page ${failAt} refused`);
            return true;
          },
        );
        // Nothing of the window is being applied once it ended, however it ended.
        expect(log.busy).toBe(0);
        expect(log.handed.every((h) => h.openBefore <= unanswered - 1)).toBe(true);
        expect(failed).toBe(failAt !== undefined && failAt < log.handed.length);
        if (failed) {
          expect(await store.watermarks.get('demo', 'responses')).toBeUndefined();
          const resumeFrom = beats.at(-1);
          const committedBefore = new Map(log.committed);
          await attempt(resumeFrom, undefined);
          // Pages before the retry's checkpoint are not applied again.
          for (const [page, times] of log.committed)
            if (resumeFrom && before(pageAt(page), resumeFrom)) expect(times).toBe(committedBefore.get(page));
        }
        // Every page with rows committed, and every row counted once in the last checkpoint.
        const pages = [
          ...Array.from({ length: Math.ceil(opens / 1000) }, (_, i) => `${OPENS}:${i * 1000}`),
          ...Array.from({ length: Math.ceil(clicks / 1000) }, (_, i) => `${CLICKS}:${i * 1000}`),
        ];
        for (const page of pages) expect(log.committed.get(page)).toBeGreaterThanOrEqual(1);
        expect(beats.at(-1)).toMatchObject({ getterIndex: 7, startRow: 0 });
        expect(beats.at(-1)?.counts.open.read).toBe(opens + clicks);
        expect(await store.watermarks.get('demo', 'responses')).toBe('2026-06-01T00:00:00.000Z');
      }),
      { numRuns: 80 },
    );
  }, 180_000);

  it('waits for no answer before the next hand-over while fewer than the allowed pages are open', async () => {
    optimizely.closedLoopRows.getOpens.push(...Array.from({ length: 6000 }, (_, i) => [`r${i}@x.test`, '1001', at(i), '100']));
    const log: Log = { handed: [], open: 0, committed: new Map(), busy: 0 };
    // Answers that take long: with two pages unanswered the reading side waited for every one of them.
    await ingestWindow({ client: CLIENT, optimizely, store, crm, openIngester: scriptedIngester(log, [3], undefined) }, WINDOW);
    expect(Math.max(...log.handed.map((h) => h.openBefore))).toBe(Math.min(log.handed.length - 1, MAX_UNANSWERED_PAGES - 1));
    expect(log.handed.length).toBeGreaterThan(2);
  });
});

/** Whether page position `a` comes before `b` in the window's paging order. */
function before(a: PagePosition, b: PagePosition): boolean {
  return a.getterIndex < b.getterIndex || (a.getterIndex === b.getterIndex && a.startRow < b.startRow);
}

function pageAt(page: string): PagePosition {
  const [getterIndex, startRow] = page.split(':').map(Number);
  return { getterIndex: getterIndex as number, startRow: startRow as number };
}
