import type { CsvLine } from './csv-lines';
import { endsInsideQuotes, splitCsvRecord, type CsvDialect, type CsvRecordProblem } from './csv-record-fields';

// Physical lines → CSV records. A record is one line, or several when a quoted field holds line
// breaks. A record that cannot be read costs exactly its first line: that line is reported
// malformed and the lines after it are read again, so a stray opening quote never swallows the
// rest of the file, and every non-empty line ends in exactly one record or malformed line.

export type CsvRecord =
  /** `open`: the record ends the file without a line break, so its last field may be cut short. */
  | { ok: true; firstLine: number; lastLine: number; fields: string[]; open?: true }
  | {
      ok: false;
      firstLine: number;
      lastLine: number;
      problem: CsvRecordProblem;
      field?: number;
      /** The first line's text as far as it could be decoded: for consent doubts only, never a value. */
      salvage?: string;
      /** `open`: that line ends the file without a line break, so the salvage's last field may be cut short. */
      open?: true;
      /** A runaway line (no salvage) held a CR that did not end it (csv-lines.ts). */
      crInside?: true;
    };

/** Most lines one record may span; a quoted field still open after them is an unclosed quote. */
export const MAX_RECORD_LINES = 100;

type TextLine = { number: number; text: string; open?: true };

export async function* readCsvRecords(
  lines: AsyncIterable<CsvLine>,
  dialect: CsvDialect,
  maxRecordLines = MAX_RECORD_LINES,
): AsyncGenerator<CsvRecord> {
  const source = lines[Symbol.asyncIterator]();
  const again: CsvLine[] = [];
  let pending: TextLine[] = [];
  let inside = false;
  const next = async (): Promise<CsvLine | undefined> => again.shift() ?? (await source.next()).value ?? undefined;
  /** The record so far cannot be read: its first line is malformed, the others are read again. */
  const failFirst = (problem: CsvRecordProblem, field?: number): CsvRecord => {
    const [first, ...rest] = pending;
    again.unshift(...rest);
    pending = [];
    inside = false;
    const { number, text, open } = first as TextLine;
    return {
      ok: false,
      firstLine: number,
      lastLine: number,
      problem,
      salvage: text,
      ...(field === undefined ? {} : { field }),
      ...(open ? { open } : {}),
    };
  };
  for (;;) {
    const line = await next();
    if (line === undefined) break;
    if ('problem' in line) {
      if (pending.length > 0) {
        again.unshift(line);
        yield failFirst('unclosed_quote');
      } else
        yield {
          ok: false,
          firstLine: line.number,
          lastLine: line.number,
          problem: line.problem,
          ...(line.latin1 === undefined ? {} : { salvage: line.latin1 }),
          ...(line.crInside ? { crInside: true as const } : {}),
        };
      continue;
    }
    if (pending.length === 0 && (line.text === '' || line.text === '\r')) continue;
    pending.push(line);
    inside = endsInsideQuotes(line.text, pending.length > 1 && inside, dialect);
    if (inside) {
      if (pending.length >= maxRecordLines) yield failFirst('unclosed_quote');
      continue;
    }
    const record = recordOf(pending, dialect);
    if (record.ok || pending.length === 1) {
      pending = [];
      yield record;
    } else yield failFirst(record.problem, record.field);
  }
  // The file ended inside a quoted field: read what follows its first line again.
  while (pending.length > 0) {
    yield failFirst('unclosed_quote');
    yield* readCsvRecords(drain(again), dialect, maxRecordLines);
  }
}

function recordOf(lines: TextLine[], dialect: CsvDialect): CsvRecord {
  const firstLine = (lines[0] as TextLine).number;
  const last = lines[lines.length - 1] as TextLine;
  const lastLine = last.number;
  // Lines keep a CR of a CRLF file: it belongs to the data inside a quoted field, not at the end.
  const text = lines
    .map((l) => l.text)
    .join('\n')
    .replace(/\r$/, '');
  const split = splitCsvRecord(text, dialect);
  return split.ok
    ? { ok: true, firstLine, lastLine, fields: split.fields, ...(last.open ? { open: true as const } : {}) }
    : {
        ok: false,
        firstLine,
        lastLine,
        problem: split.problem,
        field: split.field,
        salvage: text,
        ...(last.open ? { open: true as const } : {}),
      };
}

async function* drain(lines: CsvLine[]): AsyncGenerator<CsvLine> {
  while (lines.length > 0) yield lines.shift() as CsvLine;
}
