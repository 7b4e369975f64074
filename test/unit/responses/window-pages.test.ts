import fc from 'fast-check';
import { CLOSED_LOOP_MAX_ROWS } from '../../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import type { PagePosition } from '../../../src/responses/window-ingester';
import { windowPages, type WindowPage } from '../../../src/responses/window-pages';

// Pipelined paging must read exactly what sequential startRow paging reads: the same pages in the
// same order, whatever the getters answer (empty, short, full, over-full, failing pages) and in
// whichever order the answers arrive; a failure surfaces at its turn, after the pages before it; the
// look-ahead stays bounded, no page is asked for twice, and no read outlives the walk, also when the
// caller stops early. On a walk that completes, the only pages read in vain are at most `depth - 1`
// past the end of a getter that answered a full page.

const GETTERS = 7;
const key = (at: PagePosition) => `${at.getterIndex}:${at.startRow}`;

/** What one page answers: its number of rows, or a failure. */
type Answer = number | 'fail';

const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(CLOSED_LOOP_MAX_ROWS) },
  { weight: 1, arbitrary: fc.constant(CLOSED_LOOP_MAX_ROWS + 1) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: CLOSED_LOOP_MAX_ROWS - 1 }) },
  { weight: 1, arbitrary: fc.constant('fail' as const) },
);

/** Sequential paging, the reference: each page read after the one before, the next getter after a short page. */
function sequential(answer: (at: PagePosition) => Answer, from: PagePosition): { pages: string[]; failedAt?: string } {
  const pages: string[] = [];
  let at: PagePosition | undefined = from.getterIndex < GETTERS ? from : undefined;
  while (at) {
    const rows = answer(at);
    if (rows === 'fail') return { pages, failedAt: key(at) };
    const next: PagePosition | undefined =
      rows >= CLOSED_LOOP_MAX_ROWS
        ? { getterIndex: at.getterIndex, startRow: at.startRow + CLOSED_LOOP_MAX_ROWS }
        : at.getterIndex + 1 < GETTERS
          ? { getterIndex: at.getterIndex + 1, startRow: 0 }
          : undefined;
    pages.push(`${key(at)}>${next ? key(next) : 'end'}`);
    at = next;
  }
  return { pages };
}

/**
 * Every getter's own pages from its start: each one after a full page, up to a short or failing one,
 * and for a getter with a full page among them the `depth - 1` pages after that one (read ahead).
 */
function ownChains(answer: (at: PagePosition) => Answer, from: PagePosition, depth: number): Set<string> {
  const pages = new Set<string>();
  for (let g = from.getterIndex; g < GETTERS; g += 1) {
    const start = g === from.getterIndex ? from.startRow : 0;
    for (let startRow = start; ; startRow += CLOSED_LOOP_MAX_ROWS) {
      pages.add(key({ getterIndex: g, startRow }));
      const rows = answer({ getterIndex: g, startRow });
      if (rows !== 'fail' && rows >= CLOSED_LOOP_MAX_ROWS) continue;
      if (startRow > start)
        for (let k = 1; k < depth; k += 1) pages.add(key({ getterIndex: g, startRow: startRow + k * CLOSED_LOOP_MAX_ROWS }));
      break;
    }
  }
  return pages;
}

/** The pages read in vain that a completed walk may have asked for: `depth - 1` past each busy getter's last page. */
function inVainAllowed(walkedPages: string[], depth: number): Set<string> {
  const last = new Map<number, { startRow: number; busy: boolean }>();
  for (const page of walkedPages) {
    const [getterIndex, startRow] = (page.split('>')[0] as string).split(':').map(Number) as [number, number];
    const before = last.get(getterIndex);
    last.set(getterIndex, { startRow, busy: before !== undefined });
  }
  const allowed = new Set<string>();
  for (const [getterIndex, { startRow, busy }] of last)
    if (busy) for (let k = 1; k < depth; k += 1) allowed.add(key({ getterIndex, startRow: startRow + k * CLOSED_LOOP_MAX_ROWS }));
  return allowed;
}

describe('windowPages', () => {
  it('yields exactly the pages of sequential paging, in order, with a bounded look-ahead and no read left running', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        // Deep getters are rare: an answer per page, most getters short within a few pages.
        fc.func(answerArb),
        fc.record({ getterIndex: fc.integer({ min: 0, max: GETTERS }), startRow: fc.integer({ min: 0, max: 3 }) }),
        fc.integer({ min: 1, max: 9 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        fc.integer({ min: 1, max: 3 }),
        async (s, answerOf, start, ahead, stopAfter, depth) => {
          const from = { getterIndex: start.getterIndex, startRow: start.startRow * CLOSED_LOOP_MAX_ROWS };
          // A getter never goes deeper than five pages, so every walk ends.
          const answer = (at: PagePosition): Answer =>
            at.startRow >= 5 * CLOSED_LOOP_MAX_ROWS ? 0 : answerOf(at.getterIndex, at.startRow);
          const reference = sequential(answer, from);
          const asked: string[] = [];
          const returned = new Map<string, readonly Row[]>();
          let pending = 0;
          let yielded = 0;
          let mostAhead = 0;
          // Pages sequential paging reads: those held ahead of the walk are bounded by the look-ahead.
          const walked = new Set(reference.pages.map((p) => p.split('>')[0]));
          const readPage = (at: PagePosition): Promise<readonly Row[]> => {
            asked.push(key(at));
            pending += 1;
            mostAhead = Math.max(mostAhead, asked.filter((a) => walked.has(a)).length - yielded);
            return s.schedule(Promise.resolve(), key(at)).then(() => {
              pending -= 1;
              const rows = answer(at);
              if (rows === 'fail') throw new Error(`page ${key(at)} failed`);
              const page = Array.from({ length: rows }, (_, i): Row => [key(at), String(i)]);
              returned.set(key(at), page);
              return page;
            });
          };
          const seen: WindowPage[] = [];
          const walk = (async () => {
            for await (const page of windowPages(readPage, from, GETTERS, ahead, depth)) {
              seen.push(page);
              yielded += 1;
              if (stopAfter !== undefined && seen.length >= stopAfter) break;
            }
          })();
          const outcome = await s.waitFor(
            walk.then(
              () => undefined,
              (error: unknown) => error as Error,
            ),
          );

          const stopped = stopAfter !== undefined && stopAfter < reference.pages.length + (reference.failedAt ? 1 : 0);
          const expected = stopped ? reference.pages.slice(0, stopAfter) : reference.pages;
          expect(seen.map((p) => `${key(p.at)}>${p.next ? key(p.next) : 'end'}`)).toEqual(expected);
          for (const page of seen) expect(page.rows).toBe(returned.get(key(page.at)));
          if (reference.failedAt && !stopped) expect(outcome).toEqual(new Error(`page ${reference.failedAt} failed`));
          else expect(outcome).toBeUndefined();
          expect(pending).toBe(0);
          expect(new Set(asked).size).toBe(asked.length);
          // The page being worked on plus at most `ahead` asked for beyond it.
          expect(mostAhead).toBeLessThanOrEqual(ahead + 1);
          // On a walk that completes, every page walked was asked for, and the others only past a busy
          // getter's end; otherwise only pages sequential paging would read were the getters before
          // them to end now (each getter's own chain of full pages, and read ahead past a full page).
          if (!stopped && !reference.failedAt) {
            for (const position of walked) expect(asked).toContain(position);
            const allowed = inVainAllowed(reference.pages, depth);
            for (const position of asked) if (!walked.has(position)) expect(allowed.has(position)).toBe(true);
          }
          const chains = ownChains(answer, from, depth);
          for (const position of asked) expect(chains.has(position)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('asks for every getter of a quiet window at once: one round trip instead of seven', async () => {
    const inFlight: string[] = [];
    const answers: Array<() => void> = [];
    const readPage = (at: PagePosition) => {
      inFlight.push(key(at));
      return new Promise<readonly Row[]>((resolve) => answers.push(() => resolve([])));
    };
    const pages = windowPages(readPage, { getterIndex: 0, startRow: 0 }, GETTERS);
    const first = pages.next();
    // Before any answer is in, every getter's first page is on its way.
    await Promise.resolve();
    expect(inFlight).toEqual(['0:0', '1:0', '2:0', '3:0', '4:0', '5:0', '6:0']);
    for (const answer of answers) answer();
    const walked = [(await first).value as WindowPage];
    for await (const page of pages) walked.push(page);
    expect(walked.map((p) => key(p.at))).toEqual(inFlight);
    expect(walked.at(-1)?.next).toBeUndefined();
  });

  it('reads a later getter page after page while the current one is read, not only its first page', async () => {
    // Getter 5 (the opens of a busy window) has six full pages, getter 6 (the clicks) three.
    const depth = [0, 0, 0, 0, 0, 6, 3];
    const asked: string[] = [];
    const waiting: Array<() => void> = [];
    const readPage = (at: PagePosition) => {
      asked.push(key(at));
      const full = at.startRow / CLOSED_LOOP_MAX_ROWS < (depth[at.getterIndex] as number);
      const rows = Array.from({ length: full ? CLOSED_LOOP_MAX_ROWS : 1 }, (): Row => [key(at)]);
      return new Promise<readonly Row[]>((resolve) => waiting.push(() => resolve(rows)));
    };
    const answerAll = async () => {
      // Every read asked so far is answered, and the follow-ups they lead to are asked.
      while (waiting.length > 0) {
        waiting.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const pages = windowPages(readPage, { getterIndex: 5, startRow: 0 }, GETTERS);
    const first = pages.next();
    await answerAll();
    await first;
    // While the first page of getter 5 is worked on, getter 6 was read to its end: four pages, and
    // one read ahead past it in vain (two pages of a busy getter on the wire).
    expect(asked.filter((a) => a.startsWith('6:'))).toEqual(['6:0', '6:1000', '6:2000', '6:3000', '6:4000']);
    // Getter 5 itself, busy, was read ahead to its short page too (within the look-ahead's sixteen),
    // and one page past it in vain, as getter 6.
    const five = ['5:0', '5:1000', '5:2000', '5:3000', '5:4000', '5:5000', '5:6000', '5:7000'];
    expect(asked.filter((a) => a.startsWith('5:'))).toEqual(five);
    await pages.return();
  });

  it('reads only one page ahead with a look-ahead of one, as sequential paging with one read ahead', async () => {
    const asked: string[] = [];
    const readPage = async (at: PagePosition) => (asked.push(key(at)), [] as Row[]);
    const pages = windowPages(readPage, { getterIndex: 5, startRow: 0 }, GETTERS, 1);
    const first = await pages.next();
    expect(first.value).toMatchObject({ at: { getterIndex: 5, startRow: 0 } });
    expect(asked).toEqual(['5:0', '6:0']);
    await pages.return();
  });
});
