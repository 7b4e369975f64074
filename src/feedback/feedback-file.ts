import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { FeedbackFileUnreadableError } from '../errors/feedback-file-unreadable-error';
import { FEEDBACK_COLUMNS, resolveHeader, type FeedbackColumn, type FeedbackColumnMapping, type ResolvedHeader } from './feedback-columns';
import { checkFeedbackRow, type RowRejection, type ValidFeedbackRow } from './feedback-row';
import { readFeedbackRecords } from './read-feedback-records';

export { FEEDBACK_COLUMNS } from './feedback-columns';
/** One row as ClosedLoop pages deliver it and as bounces.csv / unsubscribes.csv hold it. */
export type FeedbackFileRow = Record<FeedbackColumn, string>;

/** A row of a feedback file: valid, or rejected with its line and reason. */
export type FeedbackLine =
  | { ok: true; row: ValidFeedbackRow }
  | { ok: false; line: number; reason: RowRejection; detail: string };

export interface ReadFeedbackOptions {
  /** The client's own header names, if its export job uses others. */
  mapping?: FeedbackColumnMapping;
  /** Now, for the plausibility bound on timestamps. */
  nowMs: number;
}

/** Writes rows as a feedback CSV with a header; returns how many rows were written. */
export async function writeFeedbackFile(path: string, pages: AsyncIterable<FeedbackFileRow[]>): Promise<number> {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...FEEDBACK_COLUMNS] });
  csv.pipe(out);
  let rows = 0;
  for await (const page of pages) {
    for (const row of page) {
      if (!csv.write(row)) await once(csv, 'drain');
      rows += 1;
    }
  }
  csv.end();
  await once(out, 'finish');
  return rows;
}

/**
 * Streams a feedback CSV as checked rows. The header must be the documented one (or the mapped
 * names); every later record becomes exactly one line: a valid row or a rejection with its reason.
 * An empty file has no rows. Throws FeedbackFileUnreadableError for what makes the whole file unreadable.
 */
export async function* readFeedbackFile(path: string, options: ReadFeedbackOptions): AsyncIterable<FeedbackLine> {
  let header: ResolvedHeader | undefined;
  for await (const record of readFeedbackRecords(createReadStream(path), path)) {
    if (header === undefined) {
      const resolved = resolveHeader(record.fields, options.mapping);
      if (!resolved.ok) throw new FeedbackFileUnreadableError(path, resolved.reason);
      header = resolved.header;
      continue;
    }
    const checked = checkFeedbackRow(record.fields, header, record.line, options.nowMs);
    yield checked.ok ? checked : { ok: false, line: record.line, reason: checked.reason, detail: checked.detail };
  }
}

/** Reads a file through once without applying anything: throws if it is unreadable, else counts its rows. */
export async function inspectFeedbackFile(path: string, options: ReadFeedbackOptions): Promise<number> {
  let rows = 0;
  for await (const line of readFeedbackFile(path, options)) if (line) rows += 1;
  return rows;
}
