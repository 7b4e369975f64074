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
export const ROW_REJECTIONS = ['column_count', 'missing_recipient_id', 'invalid_list_id', 'invalid_timestamp'] as const;
export type RowRejection = (typeof ROW_REJECTIONS)[number];

export type RowCheck = { ok: true; row: ValidFeedbackRow } | { ok: false; reason: RowRejection; detail: string };

const LIST_ID = /^\d{1,15}$/;

/** A recipient list id as Optimizely writes it (0 = client-wide), or undefined for anything else. */
export function parseListId(text: string): number | undefined {
  const trimmed = text.trim();
  return LIST_ID.test(trimmed) ? Number(trimmed) : undefined;
}

/** Checks one record against the file's header; a row is never widened, guessed or back-dated. */
export function checkFeedbackRow(fields: readonly string[], header: ResolvedHeader, line: number, nowMs: number): RowCheck {
  if (fields.length !== header.width)
    return { ok: false, reason: 'column_count', detail: `${fields.length} fields, the header has ${header.width}` };
  const cell = (column: FeedbackColumn) => (fields[header.index[column]] ?? '').trim();
  const recipientId = cell('recipientId');
  if (recipientId === '') return { ok: false, reason: 'missing_recipient_id', detail: 'recipientId is blank' };
  const listId = parseListId(cell('recipientListId'));
  if (listId === undefined) return { ok: false, reason: 'invalid_list_id', detail: 'recipientListId is not a non-negative integer' };
  const time = parseFeedbackTime(cell('timestamp'), nowMs);
  if (!time.ok) return { ok: false, reason: 'invalid_timestamp', detail: `timestamp ${time.reason}` };
  return { ok: true, row: { recipientId, mailingId: cell('mailingId'), listId, occurredAt: time.iso, category: cell('category'), line } };
}
