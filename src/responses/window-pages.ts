import { CLOSED_LOOP_MAX_ROWS } from '../optimizely/api/closed-loop-columns';
import type { Row } from '../optimizely/client/optimizely-port';
import type { PagePosition } from './window-ingester';

// A window's pages in the order sequential `startRow` paging reads them (every getter in turn, each
// from its first page until a page comes back short), but with the round trips overlapped: the first
// page of every getter is needed whatever the others answer, so the next getters' first pages are
// asked for while the current getter is read and its pages are worked on. A getter's next page is
// only known to be needed once the page before it came back full, and is asked for then, ahead of
// the later getters' first pages. Most windows of a first run have no rows at all: their seven
// getters then cost one round trip instead of seven.

/**
 * Pages asked for (in flight or answered, not yet yielded) ahead of the one being worked on: the
 * current getter's next page once known, and the next getters' first pages. Seven: a quiet window's
 * getters all at once. Memory is at most this many pages besides the ones being worked on; the
 * client's connection budget (its `concurrency` permits, default 8) still bounds what is on the wire.
 */
export const PAGES_AHEAD = 7;

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

/**
 * The pages of `getters` getters from `from` on, each exactly once and in sequential order. A page
 * that failed is thrown at its turn, after the pages before it were yielded, as sequential paging
 * would; reads still running when the caller stops are awaited, so none outlives the window.
 */
export async function* windowPages(
  readPage: (at: PagePosition) => Promise<readonly Row[]>,
  from: PagePosition,
  getters: number,
  ahead: number = PAGES_AHEAD,
): AsyncGenerator<WindowPage, void, undefined> {
  const ask = (at: PagePosition): Asked => {
    const rows = readPage(at);
    rows.catch(() => undefined); // thrown at its turn, or awaited in `finally` if the caller stops first
    return { at, rows };
  };
  // The later getters' first pages asked for already, in getter order; `unasked` is the next getter not asked yet.
  const firstPages: Asked[] = [];
  let unasked = from.getterIndex + 1;
  let current: Asked | undefined = from.getterIndex < getters ? ask(from) : undefined;
  const askAhead = () => {
    while (unasked < getters && firstPages.length + (current ? 1 : 0) < ahead) {
      firstPages.push(ask({ getterIndex: unasked, startRow: 0 }));
      unasked += 1;
    }
  };
  try {
    askAhead();
    while (current) {
      const rows = await current.rows;
      const { at } = current;
      const full = rows.length >= CLOSED_LOOP_MAX_ROWS;
      // The getter's next page goes first: it comes before every later getter's in the sequence.
      if (full) current = ask({ getterIndex: at.getterIndex, startRow: at.startRow + CLOSED_LOOP_MAX_ROWS });
      else current = firstPages.shift() ?? (unasked < getters ? ask({ getterIndex: unasked++, startRow: 0 }) : undefined);
      askAhead();
      yield { at, rows, next: current?.at };
    }
  } finally {
    await Promise.allSettled([current, ...firstPages].map((asked) => asked?.rows));
  }
}
