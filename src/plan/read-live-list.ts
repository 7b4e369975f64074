import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import { MAX_BATCH_SIZE } from '../optimizely/client/services/recipient';
import type { LiveIndex } from './live-index';
import type { PlanFields } from './plan-fields';

export interface LiveListRead {
  /** Recipient.getCount before the read. */
  count: number;
  /** Distinct recipient ids read. */
  rowsRead: number;
  /** Rows whose id a previous page already gave (the list moved while it was read). */
  repeatedRows: number;
  /** Pages requested. */
  pages: number;
}

/** Rows beyond getCount's answer a read accepts before it calls the answer endless (list growing while read). */
const GROWTH_ALLOWANCE = 0.1;

/**
 * Reads a list in full with getAllAdvancedFlat, one page of the batch limit at a time (sequential:
 * one of the client's connections, so a plan never competes with a running refill for more), sorted
 * by the id field so that pages do not overlap while the list is unchanged. The answer is hostile:
 * every page's shape is checked (whole rows, at most a page, an id in every row) and the read is
 * bounded by the count the server gave before it, plus an allowance for growth.
 */
export async function readLiveList(input: {
  optimizely: OptimizelyPort;
  listId: number;
  fields: PlanFields;
  index: LiveIndex;
  pageSize?: number;
  signal?: AbortSignal;
}): Promise<LiveListRead> {
  const { optimizely, listId, fields, index } = input;
  const pageSize = input.pageSize ?? MAX_BATCH_SIZE;
  const options = input.signal ? { signal: input.signal } : {};
  const count = await optimizely.recipient.getCount({ listId }, options);
  const maxPages = Math.ceil((count * (1 + GROWTH_ALLOWANCE)) / pageSize) + 1;
  let rowsSeen = 0;
  let repeatedRows = 0;
  let pages = 0;
  for (;;) {
    if (pages >= maxPages) throw endless(listId, count, pages, pageSize);
    const page = await optimizely.recipient.getAllAdvancedFlat(
      { listId, attributeNames: fields.readNames, orderBy: fields.idField, ascending: true, pageStart: pages * pageSize, pageSize },
      options,
    );
    pages += 1;
    for (const row of page) {
      const live = fields.liveValues(row);
      if (live === undefined)
        throw new OptimizelyResponseError(`row ${rowsSeen + 1} of list ${listId} has no recipient id in field ${fields.idField}`, WHERE);
      rowsSeen += 1;
      if (!index.put(live.recipientId, live.values)) repeatedRows += 1;
    }
    if (page.length < pageSize) break;
  }
  return { count, rowsRead: index.size(), repeatedRows, pages };
}

const WHERE = { service: 'Recipient', operation: 'getAllAdvancedFlat' };

function endless(listId: number, count: number, pages: number, pageSize: number): OptimizelyResponseError {
  return new OptimizelyResponseError(
    `list ${listId} counted ${count} recipients but ${pages} full pages of ${pageSize} came back; the read was stopped (the list grew while read, or the answers do not end)`,
    WHERE,
  );
}
