import { CLOSED_LOOP_COLUMNS, CLOSED_LOOP_MAX_ROWS, type ClosedLoopGetter } from '../optimizely/api/closed-loop-columns';
import { ClosedLoopPagingCheck } from '../optimizely/client/closed-loop-paging-check';
import type { OptimizelyPort, Row } from '../optimizely/client/optimizely-port';
import type { FeedbackFileRow } from './feedback-file';
import { MAX_FEEDBACK_CELL } from './feedback-row';

export interface ClosedLoopWindow {
  since: number;
  until: number;
}

/**
 * Pages one ClosedLoop getter over a window, 1000 rows a call, as feedback file rows; no page is asked
 * for once `signal` (the activity's cancellation) fired, and none past `maxRows` rows (by default
 * CLOSED_LOOP_MAX_ROWS_PER_WINDOW: the page that would go past it is refused, closed-loop-paging-check.ts).
 */
export async function* closedLoopPages(
  port: OptimizelyPort,
  getter: ClosedLoopGetter,
  window: ClosedLoopWindow,
  options: { onPage?: (rowsSoFar: number) => void; signal?: AbortSignal; maxRows?: number } = {},
): AsyncIterable<FeedbackFileRow[]> {
  const { onPage, signal } = options;
  const columns: readonly string[] = CLOSED_LOOP_COLUMNS[getter];
  const cell = (row: Row, name: string) => bounded(columns.includes(name) ? (row[columns.indexOf(name)] ?? '') : '');
  // A server that does not page by startRow, or answers fresh full pages without end, would otherwise
  // be asked for the next full page forever (the feedback file written without bound).
  const paging = new ClosedLoopPagingCheck(getter, window, options.maxRows);
  for (let startRow = 0; ; startRow += CLOSED_LOOP_MAX_ROWS) {
    // Asked again within the call by the client on a passing fault (docs/optimizely-client.md); any
    // other failure is the activity's to retry.
    signal?.throwIfAborted();
    // The signal too: a page in flight when the cancel comes is given up at once, not waited out.
    const rows = await port.closedLoop[getter]({ ...window, startRow, numberOfRows: CLOSED_LOOP_MAX_ROWS }, { signal });
    paging.check(startRow, rows);
    onPage?.(startRow + rows.length);
    yield rows.map((row) => ({
      recipientId: cell(row, 'recipientId'),
      mailingId: cell(row, 'mailingId'),
      timestamp: cell(row, 'timestamp'),
      // As it came: a blank or nil list id is no list id (rejected as invalid_list_id), never list 0,
      // which would widen a list's unsubscribe to every list of the client (closed-loop-columns.ts).
      recipientListId: cell(row, 'recipientListId'),
      category: cell(row, 'category'),
    }));
    if (rows.length < CLOSED_LOOP_MAX_ROWS) return;
  }
}

/**
 * A cell cut to one character over the feedback cell bound: a page may hold a cell of megabytes,
 * which would make the run's own feedback file unreadable as a whole (and the import fail on every
 * retry); cut, its row is still rejected on its own (`value_too_long`) and the others applied.
 */
function bounded(cell: string): string {
  return cell.length > MAX_FEEDBACK_CELL ? cell.slice(0, MAX_FEEDBACK_CELL + 1) : cell;
}

/** Concatenates several getters' pages, e.g. list unsubscribes and mailing unsubscribes. */
export async function* concatPages<T>(...sources: AsyncIterable<T>[]): AsyncIterable<T> {
  for (const source of sources) yield* source;
}
