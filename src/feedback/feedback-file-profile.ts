import { FEEDBACK_COLUMNS, type FeedbackColumn, type ResolvedHeader } from './feedback-columns';
import { MAX_FEEDBACK_CELL, parseListId, type RowRejection } from './feedback-row';
import { parseFeedbackTime } from './feedback-time';

// What a dropped feedback file's columns hold, counted while it is inspected (before anything is
// applied): enough to see a file no row of which is usable, or a `feedbackColumns` mapping that
// swapped two columns (feedback-file-doubts.ts). Counts, and the first distinct values of the two id
// columns (in memory only, bounded) for the ledger and the CRM to be asked about (feedback-file-ids.ts).

/**
 * Of one column's cells in the rows of the header's width: filled, read as a time, as a list id, as
 * one of the client's (0, client-wide, included) and as one of its configured lists (0 not included).
 */
export interface ColumnProfile {
  filled: number;
  times: number;
  integers: number;
  clientListIds: number;
  configuredListIds: number;
}

/** How many distinct values of each id column are kept: enough to tell a swap, bounded for a file of any size. */
export const ID_SAMPLE = 1000;

/** The first ID_SAMPLE distinct values of the two columns that hold ids, in the rows that passed every check. */
export interface IdSamples {
  recipientId: Set<string>;
  mailingId: Set<string>;
}

export interface FeedbackFileProfile {
  rows: number;
  rejected: Partial<Record<RowRejection, number>>;
  columns: Record<FeedbackColumn, ColumnProfile>;
  /** Of the rows since `ProfileOptions.sampleSince` (all rows without it). */
  ids: IdSamples;
  /** Of the rows before `sampleSince`: their recipients may have been sent by runs the retention pruned. */
  idsBefore: IdSamples;
  /** Where a NUL byte stands past the start: a damaged file, applied and then set aside for review. */
  strayNul?: string;
}

export interface ProfileOptions {
  nowMs: number;
  /** The client's configured Optimizely list ids. */
  listIds?: ReadonlySet<number>;
  /** Where the ledger of what was sent is complete (ms): rows before it are sampled into `idsBefore`. */
  sampleSince?: number;
}

export function emptyProfile(): FeedbackFileProfile {
  const columns = Object.fromEntries(
    FEEDBACK_COLUMNS.map((c) => [c, { filled: 0, times: 0, integers: 0, clientListIds: 0, configuredListIds: 0 }]),
  );
  return {
    rows: 0,
    rejected: {},
    columns: columns as Record<FeedbackColumn, ColumnProfile>,
    ids: { recipientId: new Set(), mailingId: new Set() },
    idsBefore: { recipientId: new Set(), mailingId: new Set() },
  };
}

/** A record callback that counts what each column's cells read as, for rows of the header's width. */
export function profileCells(profile: FeedbackFileProfile, options: ProfileOptions) {
  return (fields: readonly string[], header: ResolvedHeader): void => {
    if (fields.length !== header.width) return;
    for (const column of FEEDBACK_COLUMNS) {
      const cell = (fields[header.index[column]] ?? '').trim();
      // A runaway cell is rejected on its own (value_too_long); it reads as nothing here.
      if (cell === '' || cell.length > MAX_FEEDBACK_CELL) continue;
      const counts = profile.columns[column];
      counts.filled += 1;
      if (parseFeedbackTime(cell, options.nowMs).ok) counts.times += 1;
      const listId = parseListId(cell);
      if (listId !== undefined) counts.integers += 1;
      if (listId !== undefined && options.listIds?.has(listId)) counts.clientListIds += 1;
      if (listId !== undefined && listId !== 0 && options.listIds?.has(listId)) counts.configuredListIds += 1;
    }
  };
}

/**
 * Keeps a valid row's ids while fewer than ID_SAMPLE distinct ones are kept (a rejected row's are never
 * applied), of rows about `listIds` only when given (an unsubscribe file: feedback-file.ts sampledLists).
 */
export function sampleIds(
  ids: IdSamples,
  row: { recipientId: string; mailingId: string; listId: number },
  listIds?: ReadonlySet<number>,
): void {
  if (listIds !== undefined && !listIds.has(row.listId)) return;
  if (ids.recipientId.size < ID_SAMPLE) ids.recipientId.add(row.recipientId);
  if (row.mailingId !== '' && ids.mailingId.size < ID_SAMPLE) ids.mailingId.add(row.mailingId);
}
