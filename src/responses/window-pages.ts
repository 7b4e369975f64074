import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import type { Row } from '../optimizely/client/optimizely-port';
import type { PagePosition } from './window-ingester';

// A window's pages in the order sequential `startRow` paging reads them (every getter in turn, each
// from its first page until a page comes back short), but with the round trips overlapped. Each
// getter is a chain of its own: its first page is needed whatever the others answer, and its next
// page is known to be needed once the page before it came back full. The chains run side by side,
// so while the opens of a busy window are read page after page, the clicks are read too instead of
// waiting their turn; pages come back in any order and are yielded in sequential order. Most windows
// of a first run have no rows at all: their seven getters then cost one round trip instead of seven.
//
// A busy getter (one that answered a full page) is also read ahead of what is known to be needed:
// with one page on the wire per getter, each page of a 60-page getter waited for the round trip of
// the one before, and that chain of round trips, not the CRM or the ledger, was what ingestion waited
// for (measured: the reading side waited about 2.5 s of a 3.3 s ingest for pages, 0.1 s for the
// ingestion thread). Such a getter may have PAGES_IN_FLIGHT_PER_GETTER pages on the wire past the
// last page known full; the price is at most one page less than that read in vain at its end.

/**
 * Pages asked for (in flight or answered, not yet yielded) beyond the one being worked on and the
 * current getter's next, at most. Memory is at most this many pages besides those two; the
 * client's connection budget (its `concurrency` permits, default 8) still bounds what is on the
 * wire. Sixteen: a busy window's later getters can read about a quarter of a 60-page getter's time
 * ahead (in the bench, clicks while opens are read).
 */
export const PAGES_AHEAD = 16;

/**
 * Pages of one busy getter on the wire past the last page known full, at most: the page known to be
 * needed and one more. Two halves the round trips a busy getter waits for; a getter that ends reads
 * one page in vain (an empty page, one small request), and a quiet getter (no full page yet) none.
 */
export const PAGES_IN_FLIGHT_PER_GETTER = 2;

/** One page as sequential paging reads it, and the position after it (undefined: the window's last). */
export interface WindowPage {
  at: PagePosition;
  rows: readonly Row[];
  next: PagePosition | undefined;
}

interface Asked {
  at: PagePosition;
  rows: Promise<readonly Row[]>;
}

type PageAnswer = 'full' | 'short' | 'failed';

/** One getter's pages: those asked and not yielded (in order), and what is known of the getter's end. */
interface Chain {
  getterIndex: number;
  pages: Asked[];
  /** The start row of the next page to ask for (pages are asked in order, none skipped). */
  nextAsk: number;
  /** The start row of the first page not known to be full: every page before it was, so it is needed. */
  firstOpen: number;
  /** Answers of pages at or past `firstOpen`, by start row (they may come back in any order). */
  answered: Map<number, PageAnswer>;
  /** A page came back short or failed: no page after it can be needed, so none is asked for. */
  ended: boolean;
  /** A page known to be needed came back full: the getter is busy, and read ahead. */
  busy: boolean;
  /** A page known to be needed failed: the walk ends there, and no later getter asks for more. */
  failsWalk: boolean;
}

function newChain(getterIndex: number, startRow: number): Chain {
  const chain = { getterIndex, pages: [], nextAsk: startRow, firstOpen: startRow, answered: new Map(), ended: false };
  return { ...chain, busy: false, failsWalk: false };
}

/** Records a page's answer and moves the chain's first open page past the pages now known full. */
function recordAnswer(chain: Chain, startRow: number, answer: PageAnswer): void {
  chain.answered.set(startRow, answer);
  if (answer !== 'full') chain.ended = true;
  for (let at = chain.answered.get(chain.firstOpen); at === 'full'; at = chain.answered.get(chain.firstOpen)) {
    chain.answered.delete(chain.firstOpen);
    chain.firstOpen += CLOSED_LOOP_MAX_ROWS;
    chain.busy = true;
  }
  if (chain.answered.get(chain.firstOpen) === 'failed') chain.failsWalk = true;
}

/** Whether the chain's next page is known to be needed, or (a busy getter, within `depth`) may be read ahead. */
function mayAsk(chain: Chain, depth: number): 'needed' | 'ahead' | false {
  if (chain.ended) return false;
  if (chain.nextAsk <= chain.firstOpen) return 'needed';
  return chain.busy && chain.nextAsk < chain.firstOpen + depth * CLOSED_LOOP_MAX_ROWS ? 'ahead' : false;
}

/**
 * The pages of `getters` getters from `from` on, each exactly once and in sequential order. A page
 * that failed is thrown at its turn, after the pages before it were yielded, as sequential paging
 * would; reads still running when the caller stops are awaited, so none outlives the window. A page
 * is only ever asked for when sequential paging would read it should the getters before it end
 * now, or (with `depth` above one) when it is within `depth` pages of a busy getter's first page
 * not known full: on a walk that completes, at most `depth - 1` pages of each busy getter are read
 * in vain, and none of a getter that never answered a full page.
 */
export async function* windowPages(
  readPage: (at: PagePosition) => Promise<readonly Row[]>,
  from: PagePosition,
  getters: number,
  ahead: number = PAGES_AHEAD,
  depth: number = PAGES_IN_FLIGHT_PER_GETTER,
): AsyncGenerator<WindowPage, void, undefined> {
  const first = Math.min(from.getterIndex, getters);
  const chains: Chain[] = Array.from({ length: getters - first }, (_, i) => newChain(first + i, i === 0 ? from.startRow : 0));
  // The chain being yielded (an index into `chains`), and the pages asked for and not yielded of it
  // and the chains after it: the current chain's needed page takes one place of `ahead`, the rest
  // share it. Pages a chain read in vain are awaited at the end (`dropped`).
  let current = 0;
  let outstanding = 0;
  let stopped = false;
  const dropped: Array<Promise<unknown>> = [];
  const ask = (chain: Chain) => {
    const at = { getterIndex: chain.getterIndex, startRow: chain.nextAsk };
    const rows = readPage(at);
    outstanding += 1;
    chain.pages.push({ at, rows });
    chain.nextAsk += CLOSED_LOOP_MAX_ROWS;
    rows.then(
      (page) => {
        recordAnswer(chain, at.startRow, page.length >= CLOSED_LOOP_MAX_ROWS ? 'full' : 'short');
        pump();
      },
      // Thrown at its turn, if sequential paging reaches it.
      () => recordAnswer(chain, at.startRow, 'failed'),
    );
  };
  // Asks every chain that may, in getter order: the current one for its needed page always, other
  // pages while the look-ahead allows; none past a chain whose walk ends at a failed page.
  const pump = () => {
    for (let c = current; c < chains.length && !stopped; c += 1) {
      const chain = chains[c] as Chain;
      for (let may = mayAsk(chain, depth); may; may = mayAsk(chain, depth)) {
        const room = c === current ? ahead : ahead - 1;
        if (!(c === current && may === 'needed') && outstanding >= room) return;
        ask(chain);
      }
      if (chain.failsWalk) return;
    }
  };
  try {
    while (current < chains.length) {
      pump();
      const chain = chains[current] as Chain;
      const asked = chain.pages.shift();
      // Nothing asked and nothing to ask: the getter ended with the page before.
      if (!asked) {
        current += 1;
        continue;
      }
      const rows = await asked.rows;
      const full = rows.length >= CLOSED_LOOP_MAX_ROWS;
      const next: PagePosition | undefined = full
        ? { getterIndex: asked.at.getterIndex, startRow: asked.at.startRow + CLOSED_LOOP_MAX_ROWS }
        : current + 1 < chains.length
          ? { getterIndex: first + current + 1, startRow: 0 }
          : undefined;
      if (!full) {
        // The getter ended here: pages read past its end are not yielded, only awaited.
        outstanding -= chain.pages.length;
        dropped.push(...chain.pages.splice(0).map((page) => page.rows));
        current += 1;
      }
      // The page after this one goes on the wire before this one is worked on.
      pump();
      outstanding -= 1;
      yield { at: asked.at, rows, next };
    }
  } finally {
    stopped = true;
    const open = chains.flatMap((chain) => chain.pages.map((asked) => asked.rows));
    await Promise.allSettled([...dropped, ...open]);
  }
}
