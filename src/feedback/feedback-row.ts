import { CUT_LAST_LINE } from '../csv/cut-last-line';
import type { FeedbackColumn, ResolvedHeader } from './feedback-columns';
import { parseFeedbackTime } from './feedback-time';

/** A feedback row that passed every check: the only shape the CRM mapping (and the suppression ledger) sees. */
export interface ValidFeedbackRow {
  recipientId: string;
  mailingId: string;
  /** The recipient list the event concerns; 0 = client-wide (Optimizely's own convention). */
  listId: number;
  /** UTC ISO time of the event. */
  occurredAt: string;
  category: string;
  /** Line of the record in its file (the last line, for a record spanning several). */
  line: number;
}

/** Why a row was rejected; the set is closed so runs and metrics can count by it. */
export const ROW_REJECTIONS = [
  'column_count',
  'missing_recipient_id',
  'invalid_list_id',
  'invalid_timestamp',
  'value_too_long',
  CUT_LAST_LINE,
] as const;
export type RowRejection = (typeof ROW_REJECTIONS)[number];

export type RowCheck = { ok: true; row: ValidFeedbackRow } | { ok: false; reason: RowRejection; detail: string };

const LIST_ID = /^\d{1,15}$/;

/**
 * The longest cell a feedback row may hold (characters). No recipient id, mailing id, time, list id
 * or category comes near it; a longer one is no such value, and the row is rejected on its own
 * (a ClosedLoop page may hold one: it is cut to one character more when its file is written, so the
 * file stays readable and the row is still rejected).
 */
export const MAX_FEEDBACK_CELL = 1024;

/** A recipient list id as Optimizely writes it (0 = client-wide), or undefined for anything else. */
export function parseListId(text: string): number | undefined {
  const trimmed = text.trim();
  return LIST_ID.test(trimmed) ? Number(trimmed) : undefined;
}

/** Checks one record against the file's header; a row is never widened, guessed or back-dated. */
export function checkFeedbackRow(fields: readonly string[], header: ResolvedHeader, line: number, nowMs: number): RowCheck {
  if (fields.length !== header.width)
    return { ok: false, reason: 'column_count', detail: `${fields.length} fields, the header has ${header.width}` };
  const long = fields.findIndex((field) => field.length > MAX_FEEDBACK_CELL);
  if (long >= 0)
    return { ok: false, reason: 'value_too_long', detail: `${columnAt(header, long)} is longer than ${MAX_FEEDBACK_CELL} characters` };
  const cell = (column: FeedbackColumn) => (fields[header.index[column]] ?? '').trim();
  const recipientId = cell('recipientId');
  if (recipientId === '') return { ok: false, reason: 'missing_recipient_id', detail: 'recipientId is blank' };
  const listId = parseListId(cell('recipientListId'));
  if (listId === undefined) return { ok: false, reason: 'invalid_list_id', detail: 'recipientListId is not a non-negative integer' };
  const time = parseFeedbackTime(cell('timestamp'), nowMs);
  if (!time.ok) return { ok: false, reason: 'invalid_timestamp', detail: `timestamp ${time.reason}` };
  return { ok: true, row: { recipientId, mailingId: cell('mailingId'), listId, occurredAt: time.iso, category: cell('category'), line } };
}

/** Our name of the column at a position, or its number for a column we do not read. */
function columnAt(header: ResolvedHeader, position: number): string {
  const named = (Object.keys(header.index) as FeedbackColumn[]).find((column) => header.index[column] === position);
  return named ?? `column ${position + 1}`;
}
