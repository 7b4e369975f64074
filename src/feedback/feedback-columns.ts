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
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) return { ok: false, reason: `header names column "${twice}" twice` };
  const missing = expected.filter((name) => !names.includes(name));
  const unexpected = names.filter((name) => !expected.includes(name));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.map((n) => `"${n}"`).join(', ')}` : '',
      unexpected.length > 0 ? `unexpected ${unexpected.map((n) => `"${n}"`).join(', ')}` : '',
    ].filter(Boolean);
    return { ok: false, reason: `header is not ${expected.join(',')}: ${parts.join('; ')}` };
  }
  const index = Object.fromEntries(FEEDBACK_COLUMNS.map((column, i) => [column, names.indexOf(expected[i] as string)])) as Record<
    FeedbackColumn,
    number
  >;
  return { ok: true, header: { index, width: names.length } };
}
