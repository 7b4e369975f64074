import { pipeline, Transform, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { FeedbackFileUnreadableError } from '../errors/feedback-file-unreadable-error';
import { ENCODING_PREFIX, foreignEncoding, Utf8Check } from './feedback-encoding';

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
 * UTF-8 text, named by feedback-encoding.ts; an unclosed quote, a record over the size bound) throws FeedbackFileUnreadableError.
 * `trim` drops whitespace around unquoted fields (dropped files); our own files are read untrimmed,
 * because a formula escape must be undone before any whitespace is taken off. `onStrayNul` hears of a
 * NUL byte past the start (damage, not refused) once the bytes are read, before the last record.
 */
export async function* readFeedbackRecords(
  source: Readable,
  file: string,
  options: { trim: boolean; onStrayNul?: (reason: string) => void } = { trim: true },
): AsyncIterable<FeedbackRecord> {
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
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
    // Told before the last record, so a reader that stops there has heard it too.
    const nul = guard.strayNul();
    if (nul !== undefined) options.onStrayNul?.(nul);
    if (held) yield guard.endsInLineBreak() ? held : { ...held, open: true };
  } catch (error) {
    throw new FeedbackFileUnreadableError(file, unreadableReason(error), { cause: error });
  } finally {
    source.destroy();
  }
}

const LINE_BREAKS: ReadonlySet<number> = new Set([0x0a, 0x0d]);

/**
 * Passes bytes through unchanged and fails on the first that is not UTF-8 text (feedback-encoding.ts:
 * another encoding's byte order mark, UTF-16 or UTF-32 without one, a NUL, a byte that is not UTF-8),
 * naming what it found; knows how the bytes ended. The first bytes are held until there are enough to
 * tell a byte order mark.
 */
function utf8Guard(): Transform & { endsInLineBreak(): boolean; strayNul(): string | undefined } {
  const check = new Utf8Check();
  let head: Buffer | undefined = Buffer.alloc(0);
  let last: number | undefined;
  const pass = (chunk: Buffer, done: (error?: Error | null, data?: Buffer) => void) => {
    const problem = check.feed(chunk);
    if (problem) return done(new NotUtf8Error(problem));
    if (chunk.length > 0) last = chunk[chunk.length - 1];
    done(null, chunk);
  };
  const opened = (done: (error?: Error | null, data?: Buffer) => void) => {
    const bytes = head as Buffer;
    head = undefined;
    const foreign = foreignEncoding(bytes.subarray(0, ENCODING_PREFIX));
    if (foreign) return done(new NotUtf8Error(foreign));
    pass(bytes, done);
  };
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (head === undefined) return pass(chunk, done);
      head = Buffer.concat([head, chunk]);
      if (head.length < ENCODING_PREFIX) return done();
      opened(done);
    },
    flush(done) {
      const ended = (error?: Error | null, data?: Buffer) => {
        if (error) return done(error);
        if (data && data.length > 0) guard.push(data);
        const problem = check.end();
        done(problem ? new NotUtf8Error(problem) : null);
      };
      if (head !== undefined) opened(ended);
      else ended();
    },
  });
  return Object.assign(guard, { endsInLineBreak: () => last !== undefined && LINE_BREAKS.has(last), strayNul: () => check.strayNul });
}

class NotUtf8Error extends Error {
  override readonly name = 'NotUtf8Error';
  constructor(readonly reason: string) {
    super('not UTF-8');
  }
}

function unreadableReason(error: unknown): string {
  if (error instanceof NotUtf8Error) return error.reason;
  const code = (error as { code?: string }).code;
  if (code === 'CSV_MAX_RECORD_SIZE') return `a record is longer than ${MAX_FEEDBACK_RECORD_BYTES} bytes`;
  // The parser's own messages quote the field they stopped in ("value is \"…\""): a recipient id or
  // an address, which must not reach the reason kept in the store, the history and the log.
  const line = (error as { lines?: unknown }).lines;
  const where = typeof line === 'number' && Number.isSafeInteger(line) ? ` at line ${line}` : '';
  if (error instanceof CsvError) return `not readable as CSV (${code})${where}`;
  return `not readable (${code ?? (error as Error).name})`;
}
