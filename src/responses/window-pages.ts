import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import type { Row } from '../optimizely/client/optimizely-port';
import type { PagePosition } from './window-ingester';

// A window's pages in the order sequential `startRow` paging reads them (every getter in turn, each
// from its first page until a page comes back short), but with the round trips overlapped. Each
// getter is a chain of its own: its first page is needed whatever the others answer, and its next
// page is known to be needed once the page before it came back full, and is asked for then. The
// chains run side by side (one page of each on the wire at most), so while the opens of a busy
// window are read page after page, the clicks are read too instead of waiting their turn; pages
// come back in any order and are yielded in sequential order. Most windows of a first run have no
// rows at all: their seven getters then cost one round trip instead of seven.

/**
 * Pages asked for (in flight or answered, not yet yielded) beyond the one being worked on and the
 * current getter's next, at most. Memory is at most this many pages besides those two; the
 * client's connection budget (its `concurrency` permits, default 8) still bounds what is on the
 * wire, and no more than one page per getter is. Sixteen: a busy window's later getters can read
 * about a quarter of a 60-page getter's time ahead (in the bench, clicks while opens are read).
 */
export const PAGES_AHEAD = 16;

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

/** One getter's pages: those asked and not yielded (in order), and whether its next page may be asked. */
interface Chain {
  pages: Asked[];
  /** The next page to ask for; undefined while the page before it is on the wire, or once the getter ended. */
  next: PagePosition | undefined;
}

/**
 * The pages of `getters` getters from `from` on, each exactly once and in sequential order. A page
 * that failed is thrown at its turn, after the pages before it were yielded, as sequential paging
 * would; reads still running when the caller stops are awaited, so none outlives the window. A page
 * is only ever asked for when sequential paging would read it should the getters before it end
 * now: nothing is read in vain on a walk that completes.
 */
export async function* windowPages(
  readPage: (at: PagePosition) => Promise<readonly Row[]>,
  from: PagePosition,
  getters: number,
  ahead: number = PAGES_AHEAD,
): AsyncGenerator<WindowPage, void, undefined> {
  const first = Math.min(from.getterIndex, getters);
  const chains: Chain[] = Array.from({ length: getters - first }, (_, i) => ({
    pages: [],
    next: i === 0 ? from : { getterIndex: first + i, startRow: 0 },
  }));
  // The chain being yielded (an index into `chains`), and the pages asked for and not yielded: the
  // current chain's next page takes one place of `ahead`, the later chains the rest.
  let current = 0;
  let outstanding = 0;
  // No chain after the first one with a failed page asks for more: the walk ends at that page.
  let lastAsking = chains.length - 1;
  let stopped = false;
  const ask = (c: number, chain: Chain, at: PagePosition) => {
    const rows = readPage(at);
    outstanding += 1;
    chain.pages.push({ at, rows });
    chain.next = undefined;
    rows.then(
      (page) => {
        // The getter's next page is needed only after a full one (sequential paging's rule).
        if (page.length >= CLOSED_LOOP_MAX_ROWS) chain.next = { getterIndex: at.getterIndex, startRow: at.startRow + CLOSED_LOOP_MAX_ROWS };
        pump();
      },
      // Thrown at its turn.
      () => (lastAsking = Math.min(lastAsking, c)),
    );
  };
  // Asks every chain that may, in getter order: the current one when nothing of it waits to be
  // worked on (one page on the wire while the one before is worked on), later ones while the
  // look-ahead allows.
  const pump = () => {
    for (let c = current; c <= lastAsking && !stopped; c += 1) {
      const chain = chains[c] as Chain;
      if (!chain.next) continue;
      if (c === current) {
        if (chain.pages.length > 0) continue;
      } else if (outstanding >= ahead - 1) return;
      ask(c, chain, chain.next);
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
      if (!full) current += 1;
      // The page after this one goes on the wire before this one is worked on.
      pump();
      outstanding -= 1;
      yield { at: asked.at, rows, next };
    }
  } finally {
    stopped = true;
    await Promise.allSettled(chains.flatMap((chain) => chain.pages.map((asked) => asked.rows)));
  }
}
