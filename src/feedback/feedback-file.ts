import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

/** The columns of bounces.csv and unsubscribes.csv, whether written by us or dropped by an export job. */
export const FEEDBACK_COLUMNS = ['recipientId', 'mailingId', 'timestamp', 'recipientListId', 'category'] as const;
export type FeedbackFileRow = Record<(typeof FEEDBACK_COLUMNS)[number], string>;

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

/** Streams a feedback CSV back as rows; a row without a recipient id is reported by line number. */
export async function* readFeedbackFile(path: string): AsyncIterable<FeedbackFileRow & { line: number }> {
  const parser = createReadStream(path).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, info: true }));
  for await (const record of parser as AsyncIterable<{ record: Partial<FeedbackFileRow>; info: { lines: number } }>) {
    const row = record.record;
    yield {
      recipientId: row.recipientId ?? '',
      mailingId: row.mailingId ?? '',
      timestamp: row.timestamp ?? '',
      recipientListId: row.recipientListId ?? '0',
      category: row.category ?? '',
      line: record.info.lines,
    };
  }
}
