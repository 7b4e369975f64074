import { FEEDBACK_COLUMNS, type FeedbackColumn, type FeedbackColumnMapping } from './feedback-columns';
import type { ColumnProfile, FeedbackFileProfile } from './feedback-file-profile';

// A dropped file can be readable, its header right, and still say nothing true: every row rejected
// (a job that writes another delimiter, times in another format), or a `feedbackColumns` mapping that
// swapped two columns, so recipient ids are read from the list-id column and list ids from the
// recipient-id column. Applied, such a file changes nothing or, worse, opts out the wrong people on
// the wrong lists, and it is moved to processed/ as if it were done. It is quarantined instead, with
// the reason, and stays for the operator (its checksum is not recorded as processed, so the same
// bytes are read again once the mapping is fixed). Reasons name columns, header names and counts only.

/** Why a readable dropped file must not be applied, or undefined when it may. */
export function droppedFileDoubt(profile: FeedbackFileProfile, mapping: FeedbackColumnMapping = {}): string | undefined {
  const swapped = FEEDBACK_COLUMNS.flatMap((column) => {
    const finding = columnFinding(column, profile.columns);
    return finding === undefined ? [] : [`${described(column, mapping)} ${finding}`];
  });
  if (swapped.length > 0)
    return `${swapped.join('; ')}: two columns may be swapped (check feedbackColumns and the export job's header); nothing applied`;
  const rejected = Object.entries(profile.rejected);
  const total = rejected.reduce((n, [, count]) => n + (count ?? 0), 0);
  if (profile.rows > 0 && total === profile.rows)
    return `every row (${profile.rows}) was rejected (${rejected.map(([reason, n]) => `${reason} ${n}`).join(', ')}); nothing applied`;
  return undefined;
}

/** What a column's cells show that its values cannot be what it is named for, in every row that fills it. */
function columnFinding(column: FeedbackColumn, columns: Record<FeedbackColumn, ColumnProfile>): string | undefined {
  const cells = columns[column];
  if (cells.filled === 0) return undefined;
  if (column === 'timestamp') return cells.times === 0 ? 'holds no time in any row' : undefined;
  if (cells.times === cells.filled) return 'holds a time in every row';
  if (column === 'recipientListId' && cells.integers === 0) return 'holds no list id (integer) in any row';
  // The list-id and mailing-id columns swapped (the job's header or feedbackColumns) both hold integers:
  // every unsubscribe would be read as one from a list nobody synchronises (its opt-out lost, counted
  // as a recipient never sent). Mailing ids are no list ids of the client but by chance, so the
  // mailing-id column naming its configured lists in more rows than the list-id column names them (or
  // 0) shows it. (0 is not counted there: it is what an unsubscribe without a mailing may hold.)
  const mailings = columns.mailingId;
  if (column === 'recipientListId' && mailings.configuredListIds > cells.clientListIds)
    return (
      `names the client's lists (or 0) in ${cells.clientListIds} row(s), fewer than the mailingId column names its ` +
      `configured lists (${mailings.configuredListIds})`
    );
  // Numeric recipient ids may be the client's list ids too (contact 7, list 7): then the list-id column
  // holding the client's lists in every row shows the columns are where they belong.
  const lists = columns.recipientListId;
  if (column === 'recipientId' && cells.clientListIds === cells.filled && lists.clientListIds < lists.filled)
    return "holds one of the client's list ids in every row";
  return undefined;
}

export function described(column: FeedbackColumn, mapping: FeedbackColumnMapping): string {
  const mapped = mapping[column];
  return mapped === undefined ? `column ${column}` : `column ${column} (feedbackColumns.${column} = "${mapped}")`;
}
