// Test-only reference: the paging check as it was before the rewrite for CPU
// (src/optimizely/client/closed-loop-paging-check.ts at main 7674134).
import { OptimizelyResponseError } from '../../src/errors/optimizely-response-error';
import { CLOSED_LOOP_MAX_ROWS, type ClosedLoopGetter } from '../../src/optimizely/api/closed-loop-columns';
import type { Row } from '../../src/optimizely/client/optimizely-port';

/** Checks the pages of one getter over one window, fed in the order they are read. */
export class FormerClosedLoopPagingCheck {
  private previous: { startRow: number; digests: number[] } | undefined;

  constructor(private readonly getter: ClosedLoopGetter) {}

  /** Throws OptimizelyResponseError for a full page (the page from `startRow`) with the rows of the full page before it. */
  check(startRow: number, rows: readonly Row[]): void {
    if (rows.length < CLOSED_LOOP_MAX_ROWS) {
      this.previous = undefined;
      return;
    }
    const digests = rows.map(formerRowDigest).sort((a, b) => a - b);
    const before = this.previous;
    this.previous = { startRow, digests };
    if (before === undefined || before.digests.some((digest, i) => digest !== digests[i])) return;
    throw new OptimizelyResponseError(
      `the full page from row ${startRow} holds the rows of the page from row ${before.startRow}: the server does not page by startRow, so the window would never end`,
      { service: 'ClosedLoop', operation: this.getter },
    );
  }
}

/**
 * Two 32-bit FNV-1a style hashes of the row's cells (a nil cell and an empty one differ), 24 bits of
 * each: a few operations a character, no string built per row.
 */
export function formerRowDigest(row: Row): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const cell of row) {
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
