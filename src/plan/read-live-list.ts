import { setMaxListeners } from 'node:events';
import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import type { OptimizelyPort, Row } from '../optimizely/client/optimizely-port';
import { expectCount } from '../optimizely/client/services/expect-value';
import { MAX_BATCH_SIZE } from '../optimizely/client/services/recipient';
import type { LiveIndex, LiveRow } from './live-index';
import { lastPageIndex, PageChain, pageStart, TornReadError, WHERE } from './page-chain';
import type { PlanFields } from './plan-fields';

export interface LiveListRead {
  /** Recipient.getCount before (and, the read being consistent, after) the read. */
  count: number;
  /** Distinct recipient ids read: equal to `count`. */
  rowsRead: number;
  /** Pages requested by the read that was kept. */
  pages: number;
  /** Reads started again because the list changed while it was read. */
  rereads: number;
}

/**
 * Pages asked for at once: the client's permits (its `concurrency` calls, shared with everything else
 * the worker or the plan does) still decide how many are in flight.
 */
export const LIVE_READ_CONCURRENCY = 8;
/** Reads of a list that keeps changing before the reader gives up (the caller's retry takes over). */
export const LIVE_READ_ATTEMPTS = 3;

/**
 * The most recipients a live read reads: a list that getCount counts larger is refused before any
 * page is read. The pages a read asks for follow from that count (a count is any int, up to 2^31 − 1),
 * and a server answering fresh pages that join up (a runaway list, ids made up) was read page after
 * page until the activity's timeout, the scratch index growing with it, and again on every retry.
 * Twenty million: twenty times the million-recipient lists this worker is built and measured for, and
 * still readable within the reconcile's two-hour activity (the read runs at about 15,000 rows a second,
 * bench/plan: twenty million in about 22 minutes, its three reads of a list that changes meanwhile in
 * about 67); a list over it could not be read, diffed and applied by one attempt anyway, and is now
 * refused at once, naming the count and the bound, instead of timing out. A constant, as the other
 * bounds on what a server may answer, not a setting.
 */
export const MAX_LIVE_LIST_ROWS = 20_000_000;

export interface ReadLiveListInput {
  optimizely: OptimizelyPort;
  listId: number;
  fields: PlanFields;
  index: LiveIndex;
  pageSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after every page: the activity's heartbeat. */
  progress?: () => void;
  /** Recipients a read reads at most (MAX_LIVE_LIST_ROWS but in tests). */
  maxRows?: number;
}

/**
 * Reads a list in full with getAllAdvancedFlat, sorted by the id field, several pages at once. The
 * pages overlap by one row and must join up (page-chain.ts), the ids must be distinct, and getCount
 * before and after must both equal the ids read; otherwise the list changed while it was read, and
 * it is read again from scratch, up to LIVE_READ_ATTEMPTS times, then refused with a retryable
 * OptimizelyResponseError. A read is never patched up: a missed row would keep a leaver on the list,
 * an extra one would remove somebody who should stay.
 */
export async function readLiveList(input: ReadLiveListInput): Promise<LiveListRead> {
  const torn: string[] = [];
  for (let attempt = 0; attempt < LIVE_READ_ATTEMPTS; attempt++) {
    input.index.reset();
    try {
      return { ...(await readOnce(input)), rereads: attempt };
    } catch (error) {
      if (!(error instanceof TornReadError)) throw error;
      torn.push(error.message);
    }
  }
  input.index.reset();
  throw new OptimizelyResponseError(
    `list ${input.listId} changed while it was read, ${LIVE_READ_ATTEMPTS} reads in a row (${torn.join('; ')}); nothing was decided from it`,
    WHERE,
  );
}

async function readOnce(input: ReadLiveListInput): Promise<Omit<LiveListRead, 'rereads'>> {
  // Pages still in flight when the read stops early (torn, refused) are cancelled with it.
  const stop = new AbortController();
  // Every page in flight listens on this signal while it waits for a permit and while its call runs
  // (up to 3 listeners a page, all removed when the page settles): more than Node's default of 10 is
  // expected here, not a leak.
  setMaxListeners(3 * (input.concurrency ?? LIVE_READ_CONCURRENCY) + 1, stop.signal);
  const onAbort = () => stop.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  if (input.signal?.aborted) onAbort();
  try {
    return await pagesInFull(input, { signal: stop.signal });
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

async function pagesInFull(input: ReadLiveListInput, options: { signal: AbortSignal }): Promise<Omit<LiveListRead, 'rereads'>> {
  const { optimizely, listId, fields, index } = input;
  const pageSize = input.pageSize ?? MAX_BATCH_SIZE;
  const countBefore = boundedCount(await optimizely.recipient.getCount({ listId }, options), listId, input.maxRows ?? MAX_LIVE_LIST_ROWS);
  const pages = lastPageIndex(countBefore, pageSize) + 1;
  const chain = new PageChain(listId, pageSize, fields.readNames.length, fields.idField);
  const fetchPage = (k: number) =>
    optimizely.recipient.getAllAdvancedFlat(
      { listId, attributeNames: fields.readNames, orderBy: fields.idField, ascending: true, pageStart: pageStart(k, pageSize), pageSize },
      options,
    );
  for await (const page of inOrder(pages, input.concurrency ?? LIVE_READ_CONCURRENCY, fetchPage)) {
    const rows = chain.next(page).map((row) => fields.liveValues(row));
    // PageChain refused rows without an id; the check stays here so nothing unchecked is recorded.
    if (rows.some((row) => row === undefined)) throw new TornReadError(`page ${chain.pagesRead} has a row without an id`);
    const before = index.size();
    if (index.putAll(rows as LiveRow[]) !== rows.length)
      throw new TornReadError(`page ${chain.pagesRead} repeats an id an earlier page gave (${before} ids recorded before it)`);
    input.progress?.();
    if (chain.done) break;
  }
  if (!chain.done) throw new TornReadError(`${countBefore} counted but page ${pages} was still full (the list grew)`);
  const countAfter = await optimizely.recipient.getCount({ listId }, options);
  if (countBefore !== index.size() || countAfter !== index.size())
    throw new TornReadError(`getCount ${countBefore} before and ${countAfter} after, ${index.size()} ids read`);
  return { count: countBefore, rowsRead: index.size(), pages };
}

/**
 * The count, refused when over `maxRows` (or no count at all: a port other than the SOAP client's
 * may answer anything): the read's pages follow from it.
 */
function boundedCount(answer: number, listId: number, maxRows: number): number {
  const where = { service: 'Recipient', operation: 'getCount', subject: `list ${listId}` };
  const count = expectCount(answer, where);
  if (count > maxRows)
    throw new OptimizelyResponseError(
      `counts ${count} recipients, more than the ${maxRows} a live read of a list reads (getAllAdvancedFlat pages): refused before any page is read`,
      where,
    );
  return count;
}

/**
 * Yields pages 0 … n−1 in order, with up to `window` requested ahead. Stopping early (a `break` or a
 * throw in the consumer) leaves the requested ones to finish unobserved: their failures are swallowed.
 */
async function* inOrder(n: number, window: number, fetch: (k: number) => Promise<Row[]>): AsyncGenerator<Row[]> {
  const inFlight: Promise<Row[]>[] = [];
  let next = 0;
  const request = () => {
    const page = fetch(next++);
    page.catch(() => undefined);
    inFlight.push(page);
  };
  while (next < n && inFlight.length < Math.max(1, window)) request();
  while (inFlight.length > 0) {
    const page = await inFlight.shift()!;
    if (next < n) request();
    yield page;
  }
}
