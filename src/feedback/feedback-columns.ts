/** The columns of bounces.csv and unsubscribes.csv, whether written by us or dropped by an export job. */
export const FEEDBACK_COLUMNS = ['recipientId', 'mailingId', 'timestamp', 'recipientListId', 'category'] as const;
export type FeedbackColumn = (typeof FEEDBACK_COLUMNS)[number];

/** A client's own header names for our columns (`feedbackColumns` in its configuration). */
export type FeedbackColumnMapping = Partial<Record<FeedbackColumn, string>>;

/** Where each of our columns sits in a file's records. */
export interface ResolvedHeader {
  index: Record<FeedbackColumn, number>;
  width: number;
}

export type HeaderCheck = { ok: true; header: ResolvedHeader } | { ok: false; reason: string };

/**
 * The header must name exactly the documented columns (or the client's mapped names), each once,
 * in any order: a renamed or missing list-id column must never read as "no list", which would
 * widen a list's unsubscribe to the whole client.
 */
export function resolveHeader(cells: readonly string[], mapping: FeedbackColumnMapping = {}): HeaderCheck {
  const names = cells.map((cell) => cell.trim());
  const expected = FEEDBACK_COLUMNS.map((column) => (mapping[column] ?? column).trim());
  // The configuration refuses such a mapping; checked here too, because one header read as two
  // columns would take the mailing id (say) for the list id.
  const shared = expected.find((name, i) => expected.indexOf(name) !== i);
  if (shared !== undefined) return { ok: false, reason: `the column mapping names header "${shared}" for two columns` };
  const twice = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (twice !== -1) {
    const first = names.indexOf(names[twice] as string);
    return {
      ok: false,
      reason: `header names ${shownCell(names[twice] as string, expected, first)} in columns ${first + 1} and ${twice + 1}`,
    };
  }
  const missing = expected.filter((name) => !names.includes(name));
  const unexpected = names.flatMap((name, i) => (expected.includes(name) ? [] : [shownCell(name, expected, i)]));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '',
      unexpected.length > 0 ? `unexpected ${shownList(unexpected)}` : '',
    ].filter(Boolean);
    return { ok: false, reason: `header is not ${expected.join(',')}: ${parts.join('; ')}` };
  }
  const index = Object.fromEntries(FEEDBACK_COLUMNS.map((column, i) => [column, names.indexOf(expected[i] as string)])) as Record<
    FeedbackColumn,
    number
  >;
  return { ok: true, header: { index, width: names.length } };
}

// A refused header's reason is kept in the state store, the activity's result (the workflow
// history) and the log. The first line of a file without a header is a data row, with recipient ids
// and addresses, so a cell is quoted only when it reads like one of our column names written
// another way ("listId", "RecipientId"): letters, spaces, `_` and `-`, its letters part of an expected
// name's. Any other cell is named by its column number alone.

const HEADER_LIKE = /^[A-Za-z _-]{1,64}$/;
const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

function shownCell(cell: string, expected: readonly string[], index: number): string {
  const own = letters(cell);
  const nearMiss = HEADER_LIKE.test(cell) && own !== '' && expected.some((name) => letters(name).includes(own));
  return nearMiss || expected.includes(cell) ? `"${cell}"` : `column ${index + 1}`;
}

/** At most ten items, then how many more: a data row may be thousands of cells wide. */
function shownList(items: readonly string[]): string {
  const shown = items.slice(0, 10).join(', ');
  return items.length > 10 ? `${shown} and ${items.length - 10} more` : shown;
}
