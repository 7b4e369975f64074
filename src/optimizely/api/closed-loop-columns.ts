// Row layout of the ClosedLoop getters. The real column layout is not documented (API notes §12.2),
// so this is a simulator choice, kept in this one place and shared by the simulator (which writes
// rows) and the client (which reads them). Every event row starts with recipient id, mailing id and
// event timestamp, so readers can treat all event getters alike. The client refuses a page whose rows
// have another width (expectPage): a layout that differs from this one must stop ingestion loudly, not
// be read into the wrong columns (a missing list id would read as client-wide). Likewise a blank or
// nil `recipientListId` cell is no list id: client-wide is the explicit `0`, and a bounce or
// unsubscribe without a readable list id is counted invalid, never widened. Timestamps follow the API's type
// formatting rule (API notes §1.4): ISO-8601 with offset, `YYYY-MM-DDTHH:MM:SS.sss+00:00`, in UTC.
import type { ClosedLoopGetter } from './services/closed-loop';

export const CLOSED_LOOP_COLUMNS = {
  /** One row per sent mailing; endTime is empty while sending. */
  getMailings: ['mailingId', 'mailingName', 'startTime', 'endTime', 'recipientListId'],
  /** Who received which mailing. */
  getRecipients: ['recipientId', 'mailingId', 'timestamp', 'recipientListId'],
  getOpens: ['recipientId', 'mailingId', 'timestamp', 'recipientListId'],
  getClicks: ['recipientId', 'mailingId', 'timestamp', 'recipientListId', 'linkId', 'linkUrl'],
  /** category: hardbounce | softbounce | autoresponder | unknown (API notes §5.3). */
  getResponses: ['recipientId', 'mailingId', 'timestamp', 'recipientListId', 'category'],
  /** Unsubscribes without a mailing reference: mailingId is empty; recipientListId 0 = client-wide. */
  getUnsubscribes: ['recipientId', 'mailingId', 'timestamp', 'recipientListId'],
  getMailingUnsubscribes: ['recipientId', 'mailingId', 'timestamp', 'recipientListId'],
  /** Recipients over a bounce threshold; the row is the bounce that crossed it. */
  getOutBounces: ['recipientId', 'mailingId', 'timestamp', 'recipientListId', 'category'],
} as const satisfies Record<ClosedLoopGetter, readonly string[]>;

/** Rows per call are capped at this many (API notes §6.1). */
export const CLOSED_LOOP_MAX_ROWS = 1000;

/** Data of mailings older than this are no longer returned (API notes §6.1). */
export const CLOSED_LOOP_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Formats a millisecond timestamp as the ClosedLoop rows carry it. */
export function formatClosedLoopTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export { CLOSED_LOOP_GETTERS, type ClosedLoopGetter } from './services/closed-loop';
