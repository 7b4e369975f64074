import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import type { Row } from '../optimizely/client/optimizely-port';

// Pages of a list sorted by its id field, read at different moments (concurrently, while marketing
// may edit the list by hand), must add up to a list that really was there: an id that stayed on the
// list during the whole read must be in it, and no id may be in it that was never on the list.
//
// Pages overlap by one row: page k asks for `pageSize` rows from position k × (pageSize − 1), so its
// first row is the previous page's last. A page is a contiguous run of the sorted list at the moment it
// was answered; when each page starts with the id the previous one ended with, the pages cover the
// id order without a gap, each stretch complete at its own moment, and a short page ends the list.
// Any edit that shifted positions between two pages' answers breaks a boundary and the read is
// refused as torn (read again), never patched up by guessing.

export const WHERE = { service: 'Recipient', operation: 'getAllAdvancedFlat' };

/** The pages did not add up to one list (it changed while read, or the answers contradict each other). */
export class TornReadError extends Error {
  override readonly name = 'TornReadError';
}

/** Where page k starts: pages overlap by one row. */
export const pageStart = (k: number, pageSize: number): number => k * (pageSize - 1);

/** The index of the page that comes back short, ending a list of `count` rows (0 for an empty list). */
export function lastPageIndex(count: number, pageSize: number): number {
  return count < pageSize ? 0 : Math.ceil((count - pageSize + 1) / (pageSize - 1));
}

/**
 * Checks pages fed in order (0, 1, 2, …) and hands back each page's rows that are new (the first row
 * of every page after the first repeats the previous page's last). Throws OptimizelyResponseError for
 * an answer no list could give (a page longer than asked, a row of the wrong width or without an id)
 * and TornReadError for pages that do not join up.
 */
export class PageChain {
  private pages = 0;
  private rowsSeen = 0;
  private lastId: string | undefined;
  private ended = false;

  constructor(
    private readonly listId: number,
    private readonly pageSize: number,
    private readonly width: number,
    private readonly idField: string,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 2) throw new RangeError(`page size ${pageSize}: overlapping pages need at least 2 rows`);
  }

  /** Pages fed so far. */
  get pagesRead(): number {
    return this.pages;
  }

  /** True once a short page ended the list. */
  get done(): boolean {
    return this.ended;
  }

  next(rows: readonly Row[]): Row[] {
    if (this.ended) throw new Error('page chain: a page after the list ended');
    const k = this.pages++;
    if (rows.length > this.pageSize)
      throw new OptimizelyResponseError(`list ${this.listId}: page ${k + 1} has ${rows.length} rows for a page of ${this.pageSize}`, WHERE);
    const ids = rows.map((row) => this.idOf(row));
    if (k > 0 && ids[0] !== this.lastId)
      throw new TornReadError(`page ${k + 1} does not start where page ${k} ended (the list changed while it was read)`);
    if (new Set(ids).size !== ids.length) throw new TornReadError(`page ${k + 1} names a recipient id twice`);
    if (ids.length > 0) this.lastId = ids[ids.length - 1];
    this.ended = rows.length < this.pageSize;
    return k === 0 ? [...rows] : rows.slice(1);
  }

  private idOf(row: Row): string {
    this.rowsSeen += 1;
    if (row.length !== this.width)
      throw new OptimizelyResponseError(
        `list ${this.listId}: row ${this.rowsSeen} has ${row.length} values for ${this.width} fields`,
        WHERE,
      );
    const id = row[0];
    if (id === null || id === undefined || id === '')
      throw new OptimizelyResponseError(`row ${this.rowsSeen} of list ${this.listId} has no recipient id in field ${this.idField}`, WHERE);
    return id;
  }
}
