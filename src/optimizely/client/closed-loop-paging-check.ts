// A ClosedLoop getter is read page by page, `startRow` moving on by a full page each time, and only a
// short page ends it. A server that does not page by `startRow` (ignores it, or clamps it to its last
// page) answers the same full page again and again, and the reader used to ask for the next page until
// the activity's timeout (one or two hours, writing the feedback file without bound), then again on
// every retry. A full page holding exactly the rows of the full page before it, in any order, is
// refused instead: a period of exactly one page is no data. Rows Optimizely reported twice (a file
// ingested twice) may repeat an earlier stretch of the window, so a longer stretch coming round again
// is read once more; but a full page whose rows came twice before is refused too: a server whose
// pages cycle (startRow taken modulo what it holds, two caches answering in turn) never answers a
// short page, and was read until the activity's timeout. A cycle of p pages ends within 2p + 1 calls.
// Neither catches a server that answers fresh full pages for ever (a runaway query, a server that
// makes rows up, a startRow read as a seed): a getter is read for at most CLOSED_LOOP_MAX_ROWS_PER_WINDOW
// rows over one window, and a page that goes past that is refused.
import { OptimizelyResponseError } from '../../errors/optimizely-response-error';
import { CLOSED_LOOP_MAX_ROWS, type ClosedLoopGetter } from '../api/closed-loop-columns';
import type { ClosedLoopPageInput, Row } from './optimizely-port';

/**
 * The most rows one ClosedLoop getter is read for over one window (response windows are at most a
 * day; a feedback import's window runs from its watermark, at most the 30 days ClosedLoop keeps):
 * ten million, ten thousand pages. A real client does not come near it: the lists this worker is
 * built and measured for hold about a million recipients, and ten million opens (or clicks, bounces,
 * unsubscribes, mailings) of one client in one day is every recipient of ten such lists opening that
 * day; ten million bounces or unsubscribes in a month is a client losing its whole audience. And it is
 * reached well before the activities' timeouts (the feedback import's hour, the response window's
 * two): a getter's pages are read one after the other, ten thousand of them in about 17 minutes at
 * 100 ms a page, 5 to 6 minutes at the 30,000 rows a second measured against the simulator. Before
 * it, a server answering fresh full pages without end was read until the timeout (the feedback file
 * written without bound), and again on every retry. A constant, as the other bounds on what a server
 * may answer (response caps, the look-ahead), not a setting: no client has a reason to change it.
 */
export const CLOSED_LOOP_MAX_ROWS_PER_WINDOW = 10_000_000;

/** The window a getter is read over (server time, ms), as its pages ask for it. */
export type ClosedLoopWindowSpan = Pick<ClosedLoopPageInput, 'since' | 'until'>;

/** Checks the pages of one getter over one window, fed in the order they are read. */
export class ClosedLoopPagingCheck {
  private previous: { startRow: number; digests: Float64Array } | undefined;
  /** Per full page's fingerprint (pageFingerprint), the start rows of the full pages with those rows: one number a page. */
  private readonly earlier = new Map<number, number[]>();
  /** Rows of the getter up to the end of the last page checked. */
  private rowsSoFar = 0;

  /** `window` names it in a refusal (the readers always give it); `maxRows`: CLOSED_LOOP_MAX_ROWS_PER_WINDOW but in tests. */
  constructor(
    private readonly getter: ClosedLoopGetter,
    private readonly window?: ClosedLoopWindowSpan,
    private readonly maxRows: number = CLOSED_LOOP_MAX_ROWS_PER_WINDOW,
  ) {}

  /**
   * Throws OptimizelyResponseError for a page (the page from `startRow`) that takes the getter past
   * `maxRows` rows over the window, and for a full page with the rows of the full page before it or
   * of two earlier ones.
   */
  check(startRow: number, rows: readonly Row[]): void {
    // The rows before this page: startRow, also for a retried attempt that resumes part-way (pages
    // move on by a full page), or those counted here when more (the client refuses a page longer than
    // asked, another port might not).
    this.rowsSoFar = Math.max(startRow, this.rowsSoFar) + rows.length;
    if (this.rowsSoFar > this.maxRows)
      throw new OptimizelyResponseError(
        `the page from row ${startRow} takes the getter past ${this.maxRows} rows, the most one getter is read for over one window and more than any client's window holds: the server answers full pages without end`,
        { service: 'ClosedLoop', operation: this.getter, subject: windowSubject(this.window) },
      );
    if (rows.length < CLOSED_LOOP_MAX_ROWS) {
      this.previous = undefined;
      return;
    }
    // A typed array sorts its numbers natively (digests are integers below 2^48, exact in a double).
    const digests = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) digests[i] = rowDigest(rows[i] as Row);
    digests.sort();
    const before = this.previous;
    this.previous = { startRow, digests };
    if (before !== undefined && sameDigests(before.digests, digests))
      throw new OptimizelyResponseError(
        `the full page from row ${startRow} holds the rows of the page from row ${before.startRow}: the server does not page by startRow, so the window would never end`,
        { service: 'ClosedLoop', operation: this.getter },
      );
    const fingerprint = pageFingerprint(digests);
    const starts = this.earlier.get(fingerprint) ?? [];
    if (starts.length >= 2)
      throw new OptimizelyResponseError(
        `the full page from row ${startRow} holds the rows of the pages from rows ${starts[0]} and ${starts[1]}: the server's pages come round in a cycle, so the window would never end`,
        { service: 'ClosedLoop', operation: this.getter },
      );
    starts.push(startRow);
    this.earlier.set(fingerprint, starts);
  }
}

/** How a refusal names the window: its two ends as ISO times (the numbers, were one not a time). */
function windowSubject(window: ClosedLoopWindowSpan | undefined): string | undefined {
  if (window === undefined) return undefined;
  const { since, until } = window;
  const at = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));
  return `window ${at(since)} to ${at(until)}`;
}

/**
 * One number for a page's sorted row digests (the same rows in any order give the same): two 32-bit
 * FNV-1a style hashes, 24 bits of each, as rowDigest. Pages with different rows agree by chance about
 * once in 2^48, and a refusal needs a page to agree with two earlier ones.
 */
function pageFingerprint(sortedDigests: Float64Array): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < sortedDigests.length; i += 1) {
    const d = sortedDigests[i] as number;
    const high = Math.floor(d / 0x100_0000);
    const low = d % 0x100_0000;
    a = Math.imul(Math.imul(a ^ high, 0x01000193) ^ low, 0x01000193);
    b = Math.imul(Math.imul(b ^ low, 0x01002193) ^ high, 0x01002193);
  }
  return (a >>> 8) * 0x100_0000 + (b >>> 8);
}

/** Whether each of the page before's digests is the one at its place in this page's (a longer page's extra rows aside, as before). */
function sameDigests(before: Float64Array, digests: Float64Array): boolean {
  for (let i = 0; i < before.length; i += 1) if (before[i] !== digests[i]) return false;
  return true;
}

/**
 * Two 32-bit FNV-1a style hashes of the row's cells (a nil cell and an empty one differ), 24 bits of
 * each: a few operations a character, no string built per row.
 */
export function rowDigest(row: Row): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  // An indexed loop rather than for-of: every row of every full page is digested on the reading thread.
  for (let c = 0; c < row.length; c += 1) {
    const cell = row[c];
    const text = cell ?? '';
    const mark = cell === null ? 0x1_0001 : 0x1_0000;
    a = Math.imul(a ^ mark, 0x01000193);
    b = Math.imul(b ^ mark, 0x01002193);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x01002193);
    }
  }
  return (a >>> 8) * 0x100_0000 + (b >>> 8);
}
