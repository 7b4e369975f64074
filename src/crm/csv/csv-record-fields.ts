// One CSV record (its text, line breaks of quoted fields included) split into fields, strictly: a
// quote may only open a field and must close it, followed by the delimiter or the end. Problems
// carry a code and the 1-based field number, never text from the record: they end up in the ledger
// and the worker log.

export interface CsvDialect {
  delimiter: string;
  quote: string;
  /**
   * Escapes a quote inside a quoted field; equal to `quote` for the usual doubled quote. Another
   * character (a backslash) escapes itself too, as csv-stringify and csv-parse have it: `"C:\\"` is
   * `C:\`. Read as a literal, such a value was sent with its backslashes doubled, and one ending in
   * a backslash swallowed its closing quote and made the line malformed.
   */
  escape: string;
}

/** Whether `text[j]` is an escape that escapes the character after it (a quote, or another escape). */
export function escapesNext(text: string, j: number, { quote, escape }: CsvDialect): boolean {
  return text[j] === escape && (text[j + 1] === quote || (escape !== quote && text[j + 1] === escape));
}

export type CsvRecordProblem =
  | 'quote_in_unquoted_field'
  | 'text_after_closing_quote'
  | 'unclosed_quote'
  | 'too_many_fields'
  | 'invalid_encoding'
  | 'line_too_long'
  /** A CR outside quotes that does not end the line: a line end of a writer of CR lines, so the line may hold several records. */
  | 'cr_line_break';

export type CsvFieldsResult = { ok: true; fields: string[] } | { ok: false; problem: CsvRecordProblem; field: number };

export function splitCsvRecord(text: string, dialect: CsvDialect): CsvFieldsResult {
  const { delimiter } = dialect;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    const number = fields.length + 1;
    const field = text.startsWith(dialect.quote, i) ? quotedField(text, i, dialect) : unquotedField(text, i, dialect);
    if (!field.ok) return { ok: false, problem: field.problem, field: number };
    fields.push(field.value);
    if (field.end === text.length) return { ok: true, fields };
    i = field.end + delimiter.length;
  }
}

type Field = { ok: true; value: string; end: number } | { ok: false; problem: CsvRecordProblem };

function unquotedField(text: string, from: number, { delimiter, quote }: CsvDialect): Field {
  const at = text.indexOf(delimiter, from);
  const end = at === -1 ? text.length : at;
  const value = text.slice(from, end);
  if (value.includes('\r')) return { ok: false, problem: 'cr_line_break' };
  return value.includes(quote) ? { ok: false, problem: 'quote_in_unquoted_field' } : { ok: true, value, end };
}

function quotedField(text: string, from: number, dialect: CsvDialect): Field {
  const { delimiter, quote } = dialect;
  let value = '';
  let j = from + quote.length;
  for (;;) {
    if (j >= text.length) return { ok: false, problem: 'unclosed_quote' };
    if (escapesNext(text, j, dialect)) {
      value += text[j + 1];
      j += 2;
    } else if (text[j] === quote) {
      break;
    } else {
      value += text[j];
      j += 1;
    }
  }
  const end = j + 1;
  if (text[end] === '\r') return { ok: false, problem: 'cr_line_break' };
  if (end !== text.length && !text.startsWith(delimiter, end)) return { ok: false, problem: 'text_after_closing_quote' };
  return { ok: true, value, end };
}

/**
 * Whether a record continues past `line`: true when the line ends inside a quoted field. Follows the
 * field structure, so a stray quote in the middle of an unquoted field (O"Brien) opens nothing and
 * cannot swallow the lines after it.
 */
export function endsInsideQuotes(line: string, startsInside: boolean, dialect: CsvDialect): boolean {
  const { delimiter, quote } = dialect;
  let inside = startsInside;
  let fieldStart = !startsInside;
  for (let j = 0; j < line.length;) {
    if (inside) {
      if (escapesNext(line, j, dialect)) j += 2;
      else {
        if (line[j] === quote) inside = false;
        j += 1;
      }
    } else if (line.startsWith(delimiter, j)) {
      fieldStart = true;
      j += delimiter.length;
    } else {
      if (fieldStart && line[j] === quote) inside = true;
      fieldStart = false;
      j += 1;
    }
  }
  return inside;
}
