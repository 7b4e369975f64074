import { pipeline, Transform, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { FeedbackFileUnreadableError } from '../errors/feedback-file-unreadable-error';

/** The longest record a feedback file may hold (csv-parse `max_record_size`): a runaway quote cannot eat the file. */
export const MAX_FEEDBACK_RECORD_BYTES = 64 * 1024;

export interface FeedbackRecord {
  fields: string[];
  /** Line the record ends on (1-based); the header is the first record. */
  line: number;
  /**
   * The file's last record, not ended by a line break: the file may have been cut in it (a job that
   * stopped writing, a transfer that broke off), and its last cell may be a part of a value.
   */
  open?: true;
}

/**
 * Streams the raw records of a feedback CSV, header first. Short and long records are yielded as they
 * are (their rows are rejected one by one); what makes the whole file unreadable (bytes that are not
 * UTF-8, an unclosed quote, a record over the size bound) throws FeedbackFileUnreadableError.
 * `trim` drops whitespace around unquoted fields (dropped files); our own files are read untrimmed,
 * because a formula escape must be undone before any whitespace is taken off.
 */
export async function* readFeedbackRecords(
  source: Readable,
  file: string,
  options: { trim: boolean } = { trim: true },
): AsyncIterable<FeedbackRecord> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: options.trim,
    info: true,
    max_record_size: MAX_FEEDBACK_RECORD_BYTES,
  });
  const guard = utf8Guard();
  // pipeline carries a read error or the UTF-8 guard's into the parser, whose iteration then throws it.
  const records = pipeline(source, guard, parser, () => undefined);
  try {
    // One record behind, so the last one can be told (the parser ends it only once the bytes ended).
    let held: FeedbackRecord | undefined;
    for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (held) yield held;
      held = { fields: record, line: info.lines };
    }
    if (held) yield guard.endsInLineBreak() ? held : { ...held, open: true };
  } catch (error) {
    throw new FeedbackFileUnreadableError(file, unreadableReason(error), { cause: error });
  } finally {
    source.destroy();
  }
}

const LINE_BREAKS: ReadonlySet<number> = new Set([0x0a, 0x0d]);

/** Passes bytes through unchanged and fails on the first sequence that is not UTF-8; knows how the bytes ended. */
function utf8Guard(): Transform & { endsInLineBreak(): boolean } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let last: number | undefined;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.decode(chunk, { stream: true });
        if (chunk.length > 0) last = chunk[chunk.length - 1];
        done(null, chunk);
      } catch {
        done(new NotUtf8Error());
      }
    },
    flush(done) {
      try {
        decoder.decode();
        done();
      } catch {
        done(new NotUtf8Error());
      }
    },
  });
  return Object.assign(guard, { endsInLineBreak: () => last !== undefined && LINE_BREAKS.has(last) });
}

class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
  constructor() {
    super('not UTF-8');
  }
}

function unreadableReason(error: unknown): string {
  if (error instanceof NotUtf8Error) return 'the file is not UTF-8';
  const code = (error as { code?: string }).code;
  if (code === 'CSV_MAX_RECORD_SIZE') return `a record is longer than ${MAX_FEEDBACK_RECORD_BYTES} bytes`;
  // The parser's own messages quote the field they stopped in ("value is \"…\""): a recipient id or
  // an address, which must not reach the reason kept in the store, the history and the log.
  const line = (error as { lines?: unknown }).lines;
  const where = typeof line === 'number' && Number.isSafeInteger(line) ? ` at line ${line}` : '';
  if (error instanceof CsvError) return `not readable as CSV (${code})${where}`;
  return `not readable (${code ?? (error as Error).name})`;
}
