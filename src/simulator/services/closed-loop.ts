// ClosedLoop response getters. `since`/`until` (ms) select export batches by the time the batch was
// produced (since ≤ batchTime < until, and only batches already produced); rows of events older than
// 30 days are gone; at most 1000 rows per call (a larger numberOfRows is capped, not a fault).
import {
  CLOSED_LOOP_COLUMNS,
  CLOSED_LOOP_GETTERS,
  CLOSED_LOOP_MAX_ROWS,
  CLOSED_LOOP_RETENTION_MS,
  type ClosedLoopGetter,
  formatClosedLoopTime,
} from '../../optimizely/api/closed-loop-columns';
import type { CallContext, Handler } from '../context';
import type { EventRow } from '../store/events';
import { invalidArgument, num } from './params';

type PageWindow = Parameters<CallContext['sim']['store']['events']['page']>[2];

function page(call: CallContext, getter: ClosedLoopGetter): (string | null)[][] {
  const p = call.params;
  const startRow = num(p, 'startRow');
  const numberOfRows = num(p, 'numberOfRows');
  if (startRow < 0 || numberOfRows < 0) throw invalidArgument(`startRow=${startRow} numberOfRows=${numberOfRows}`);
  const now = call.sim.clock.now();
  const window = {
    since: num(p, 'since'),
    until: num(p, 'until'),
    now,
    oldest: now - CLOSED_LOOP_RETENTION_MS,
    offset: startRow,
    limit: Math.min(numberOfRows, CLOSED_LOOP_MAX_ROWS),
  };
  const paging = call.sim.faults.closedLoopPaging;
  if (paging !== 'byStartRow') return fullPage(call, getter, paging === 'repeatFirstPage' ? { ...window, offset: 0 } : window);
  const events = call.sim.store.events.page(call.session.mandatorId, getter, window);
  return events.map((e) => toRow(call, getter, e));
}

/**
 * The faults `repeatFirstPage` and `endless` (fault-injection.ts): the page from `window.offset`, filled
 * up to `window.limit` rows with made-up ones, so no page is ever short. A made-up row is numbered
 * by its place in the window (its recipient and its mailing, so getMailings' rows differ too): the
 * same page asked again holds the same rows, another page others.
 */
const MADE_UP_MAILINGS = 1_000_000_000;

function fullPage(call: CallContext, getter: ClosedLoopGetter, window: PageWindow): (string | null)[][] {
  const events = call.sim.store.events.page(call.session.mandatorId, getter, window);
  const eventTime = Math.min(Math.max(window.since, window.oldest), window.now);
  for (let row = window.offset + events.length; events.length < window.limit; row += 1)
    events.push({
      getter,
      recipientId: `made-up-${row}@simulator.invalid`,
      mailingId: MADE_UP_MAILINGS + row,
      listId: 0,
      eventTime,
      category: 'hardbounce',
      linkId: null,
      linkUrl: null,
      batchTime: eventTime,
    });
  return events.map((e) => toRow(call, getter, e));
}

function toRow(call: CallContext, getter: ClosedLoopGetter, e: EventRow): (string | null)[] {
  const values: Record<string, string | null> = {
    recipientId: e.recipientId,
    mailingId: e.mailingId === null ? '' : String(e.mailingId),
    timestamp: formatClosedLoopTime(e.eventTime),
    recipientListId: String(e.listId),
    category: e.category,
    linkId: e.linkId === null ? null : String(e.linkId),
    linkUrl: e.linkUrl,
  };
  if (getter === 'getMailings') {
    const mailing = e.mailingId === null ? undefined : call.sim.store.events.mailing(call.session.mandatorId, e.mailingId);
    values.mailingName = mailing?.name ?? null;
    values.startTime = formatClosedLoopTime(e.eventTime);
    values.endTime = mailing?.endTime ? formatClosedLoopTime(mailing.endTime) : '';
  }
  return CLOSED_LOOP_COLUMNS[getter].map((column) => values[column] ?? null);
}

export const closedLoopHandlers: Record<string, Handler> = {
  getCurrentTime: (call) => call.sim.clock.now(),
  ...Object.fromEntries(CLOSED_LOOP_GETTERS.map((getter): [string, Handler] => [getter, (call) => page(call, getter)])),
};
