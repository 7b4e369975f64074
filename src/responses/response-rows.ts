import { foldedCategory } from '../feedback/bounce-category';
import { digest } from '../feedback/event-digest';
import { MAX_FEEDBACK_CELL } from '../feedback/feedback-row';
import { CLOSED_LOOP_COLUMNS, type ClosedLoopGetter } from '../optimizely/api/closed-loop-columns';
import type { Row } from '../optimizely/client/optimizely-port';

/** What a row of response data means for the CRM. `other`: autoresponders, replies, unknown responses. */
export type ResponseKind = 'mailing' | 'bounce' | 'unsubscribe' | 'open' | 'click' | 'other';

/** The getters a run reads, in this order: mailings first, then what must always be applied. */
export const RESPONSE_GETTERS = [
  'getMailings',
  'getOutBounces',
  'getResponses',
  'getMailingUnsubscribes',
  'getUnsubscribes',
  'getOpens',
  'getClicks',
] as const satisfies readonly ClosedLoopGetter[];
export type ResponseGetter = (typeof RESPONSE_GETTERS)[number];

/** One ClosedLoop row by column name; cells a getter does not have are ''. */
export interface ResponseRow {
  kind: ResponseKind;
  recipientId: string;
  mailingId: string;
  timestamp: string;
  recipientListId: string;
  category: string;
  linkId: string;
  linkUrl: string;
}

// Compared folded (case, white space, invisible and full-width forms do not count), as the feedback
// import reads them: a `HardBounce` from getResponses is a bounce, never an ignored response.
const BOUNCE_CATEGORIES = new Set(['hardbounce', 'softbounce']);

const CELLS = ['recipientId', 'mailingId', 'startTime', 'timestamp', 'recipientListId', 'category', 'linkId', 'linkUrl'] as const;
type Cell = (typeof CELLS)[number];

/** Per getter, the position of each cell in its rows (-1: the getter has no such column); computed once, read per row. */
const POSITIONS = new Map<ResponseGetter, Record<Cell, number>>(
  RESPONSE_GETTERS.map((getter) => {
    const columns: readonly string[] = CLOSED_LOOP_COLUMNS[getter];
    return [getter, Object.fromEntries(CELLS.map((cell) => [cell, columns.indexOf(cell)])) as Record<Cell, number>];
  }),
);

function cellAt(row: Row, at: number): string {
  return at < 0 ? '' : String(row[at] ?? '');
}

/** The longest click URL a response row may carry (characters); browsers and mail clients stop well before. */
export const MAX_RESPONSE_URL = 8 * 1024;

/**
 * Whether a cell the row is carried by is longer than any value of its column can be
 * (MAX_FEEDBACK_CELL, a URL MAX_RESPONSE_URL). A page may hold megabytes in one cell (its size is
 * capped, a cell's is not): such a row is invalid, decided before its mailing is looked up, its key
 * hashed or its URL handed to the CRM. Not the category: it only decides the kind, and an
 * out-bounce of any category is hard (a runaway one must not cost the suppression).
 */
export function hasOversizedCell(row: ResponseRow): boolean {
  return (
    row.recipientId.length > MAX_FEEDBACK_CELL ||
    row.mailingId.length > MAX_FEEDBACK_CELL ||
    row.timestamp.length > MAX_FEEDBACK_CELL ||
    row.recipientListId.length > MAX_FEEDBACK_CELL ||
    row.linkId.length > MAX_FEEDBACK_CELL ||
    row.linkUrl.length > MAX_RESPONSE_URL
  );
}

/** Reads a row of `getter` by the shared column layout (closed-loop-columns.ts). */
export function readResponseRow(getter: ResponseGetter, row: Row): ResponseRow {
  const at = POSITIONS.get(getter) as Record<Cell, number>;
  const category = cellAt(row, at.category);
  return {
    kind: kindOf(getter, category),
    recipientId: cellAt(row, at.recipientId),
    mailingId: cellAt(row, at.mailingId),
    timestamp: cellAt(row, getter === 'getMailings' ? at.startTime : at.timestamp),
    // A blank or nil list id stays blank (closed-loop-columns.ts): never read as client-wide list 0.
    recipientListId: cellAt(row, at.recipientListId),
    category,
    linkId: cellAt(row, at.linkId),
    linkUrl: cellAt(row, at.linkUrl),
  };
}

function kindOf(getter: ResponseGetter, category: string): ResponseKind {
  switch (getter) {
    case 'getMailings':
      return 'mailing';
    case 'getOpens':
      return 'open';
    case 'getClicks':
      return 'click';
    case 'getOutBounces':
      return 'bounce';
    case 'getResponses':
      return BOUNCE_CATEGORIES.has(foldedCategory(category)) ? 'bounce' : 'other';
    default:
      return 'unsubscribe';
  }
}

/**
 * The stable key of an event, the same whichever getter or window delivered it: an unsubscribe is
 * listed by getUnsubscribes and getMailingUnsubscribes, a bounce over the limit by getResponses and
 * getOutBounces. Hashed (96 bits) so a run's key set stays small and holds no address.
 */
export function eventKey(row: ResponseRow): string {
  // The parts joined by NUL, built as one string (one per row, no array of parts).
  const rest =
    row.kind === 'unsubscribe'
      ? row.recipientListId
      : `${row.mailingId}\u0000${row.category.replace('bounce', '')}\u0000${row.linkId}\u0000${row.linkUrl}`;
  return digest('sha1', `${row.kind}\u0000${row.recipientId}\u0000${row.timestamp}\u0000${rest}`, 'base64').slice(0, 16);
}
