import type { CsvFormat, CsvListConfig } from '../crm-config';
import { malformedRow, UNREAD_CELL, type CrmRow } from '../crm-port';
import { CrmSelectionColumnsError } from '../../errors/crm-selection-columns-error';
import { CrmSelectionHeaderError } from '../../errors/crm-selection-header-error';
import { CrmSelectionMalformedError } from '../../errors/crm-selection-malformed-error';
import { selectionColumns, SUPPRESSION_COLUMNS } from '../../validation/validate-row';
import { readCsvLines } from './csv-lines';
import { escapesNext, type CsvDialect } from './csv-record-fields';
import { readCsvRecords, type CsvRecord } from './csv-records';

export interface ReadCsvSelectionInput {
  listKey: string;
  list: Pick<CsvListConfig, 'file' | 'attributes' | 'columns' | 'maxMalformedPercent' | 'lastLineWithoutEnd'>;
  format: CsvFormat;
}

/**
 * Streams the rows of a CRM export file under our column names. Short lines still yield a row (the
 * fields they lack are null), so validation names the missing field; a line that cannot be read yields a
 * malformed row (excluded as `malformed_row`) unless too many do. Errors name the file, line and
 * column, never a value: they reach workflow histories.
 */
export async function* readCsvSelection({ listKey, list, format }: ReadCsvSelectionInput): AsyncGenerator<CrmRow> {
  const dialect = { delimiter: format.delimiter, quote: format.quote, escape: format.escape };
  let header: Header | undefined;
  let dataLines = 0;
  let malformedLines = 0;
  for await (const record of readCsvRecords(readCsvLines(list.file, format.encoding), dialect)) {
    if (header === undefined) {
      header = readHeader(record, listKey, list);
      continue;
    }
    dataLines += record.lastLine - record.firstLine + 1;
    // A CR alone outside quotes ends a record for a writer of CR lines: the line may hold several, and
    // excluding it as one malformed row would drop all of them from the list without a word.
    const crBreak = crLineBreakOf(record);
    if (crBreak) throw CrmSelectionMalformedError.crLineBreak(list.file, record.firstLine, crBreak.field);
    if (record.ok && record.fields.length <= header.columns.length) {
      // A line the file may have been cut in is never sent (cut-last-line.ts); its opt-outs still
      // count. It is no sign of a broken file, so it is not counted as malformed.
      if (record.open && list.lastLineWithoutEnd === 'exclude')
        yield malformedRow({
          line: record.firstLine,
          problem: 'no_line_end',
          cut: true,
          salvage: [header.row(record.fields, true, CUT_DOUBT_COLUMNS)],
        });
      else yield header.row(record.fields, record.open === true);
      continue;
    }
    malformedLines += record.lastLine - record.firstLine + 1;
    // Wider than the header: its values would land in the wrong columns, so no reading of it is sent.
    // The file's last line may be cut in its last field: an opt-out, consent or medium read there is unread.
    const open = record.open === true;
    const salvage = record.ok ? readingsOf(record.fields, header, dialect.delimiter, open) : salvagedReadings(record, header, dialect);
    yield malformedRow({
      line: record.firstLine,
      ...(record.ok ? { problem: 'too_many_fields', field: header.columns.length + 1 } : { problem: record.problem }),
      ...(salvage ? { salvage } : {}),
    });
  }
  // An export writes its header even when it selects nobody: a file without one (no bytes, blank
  // lines only) is a writer that has not written yet or an upload that broke off, not an empty
  // selection. It fails here, before the guard, which would hold it as "the export is empty" for an
  // operator to approve as a CRM that selects nobody (or pass it under allowEmpty and maxShrinkPercent 100).
  if (header === undefined) throw new CrmSelectionHeaderError(list.file, 1, 'the file has no header line: it is empty');
  // One bad line is a row to exclude; many are a broken file, and clearing the list for it would be wrong.
  if (malformedLines > 1 && malformedLines * 100 > list.maxMalformedPercent * dataLines) {
    throw new CrmSelectionMalformedError(list.file, malformedLines, dataLines, list.maxMalformedPercent);
  }
}

interface Header {
  columns: string[];
  /** No `recipient_id` column: the address is the recipient id. */
  idFromAddress: boolean;
  /**
   * `open`: the line ends the file without a line break, so its last field may be cut short; it is
   * unread when it stands in one of the `doubt` columns (by default the opt-outs).
   */
  row(fields: readonly string[], open: boolean, doubt?: ReadonlySet<string>): CrmRow;
}

/**
 * Where a record holds a line break that is a CR alone (a CR of a CRLF line end is no such break):
 * outside quotes in a record that splits otherwise, or anywhere in a line that cannot be read, whose
 * quotes cannot be trusted to tell a value from a line end (doubt refuses).
 */
function crLineBreakOf(record: CsvRecord): { field?: number } | undefined {
  if (record.ok) return undefined;
  if (record.problem === 'cr_line_break') return { field: record.field };
  if (record.crInside || record.salvage?.replace(/\r$/, '').includes('\r')) return {};
  return undefined;
}

function readHeader(record: CsvRecord, listKey: string, list: ReadCsvSelectionInput['list']): Header {
  if (!record.ok && record.problem === 'cr_line_break') throw crAloneInHeader(list.file, record.firstLine, record.field);
  if (!record.ok) throw new CrmSelectionHeaderError(list.file, record.firstLine, record.problem, record.field);
  // Lines are LF or CRLF: a file whose lines end in CR alone reads as one long header holding every
  // row, and unless two of its cells collide it loaded as a file of no rows at all (an empty export).
  const bareCr = record.fields.findIndex((name) => name.trim().includes('\r'));
  if (bareCr !== -1) throw crAloneInHeader(list.file, record.firstLine, bareCr + 1);
  const columns = record.fields
    .map((name) => name.trim())
    .map((name) => (Object.hasOwn(list.columns, name) ? (list.columns[name] as string) : name));
  const repeated = columns.findIndex((name, i) => columns.indexOf(name) !== i);
  // Two columns of one name: which one holds the address is a guess, and guessing wrong sends the wrong value.
  if (repeated !== -1) {
    const name = columns[repeated] as string;
    if (knownColumns(list).has(name))
      throw new CrmSelectionHeaderError(list.file, record.firstLine, `column ${name} appears twice`, repeated + 1);
    throw new CrmSelectionHeaderError(list.file, record.firstLine, `one name in fields ${columns.indexOf(name) + 1} and ${repeated + 1}`);
  }
  const idFromAddress = !columns.includes('recipient_id');
  const present = new Set(idFromAddress ? [...columns, 'recipient_id'] : columns);
  const missing = selectionColumns(list.attributes).filter((c) => !present.has(c) || (c === 'recipient_id' && !present.has('email')));
  if (missing.length > 0) {
    const mappedFrom = Object.fromEntries(Object.entries(list.columns).map(([theirs, ours]) => [ours, theirs]));
    throw new CrmSelectionColumnsError(listKey, missing, { file: list.file, mappedFrom });
  }
  const emailAt = columns.indexOf('email');
  return {
    columns,
    idFromAddress,
    // fromEntries defines own properties: a column named __proto__ cannot reach the prototype.
    // A short line has every column, the missing ones null: validation names the first missing field.
    // An opt-out cell the line does not reach is unread, not "not set": the row is never sent on it.
    // Nor on one the file may have cut: `1` cut to ``, `nein` to `n` would read "not set".
    row: (fields, open, doubt = OPT_OUT_COLUMNS) => {
      const cutAt = open ? fields.length - 1 : -1;
      const entries = columns.map((name, i): [string, unknown] => [
        name,
        i === cutAt && doubt.has(name) ? UNREAD_CELL : (fields[i] ?? missingCell(name)),
      ]);
      if (idFromAddress) entries.push(['recipient_id', fields[emailAt] ?? null]);
      return Object.fromEntries(entries);
    },
  };
}

function crAloneInHeader(file: string, line: number, field?: number): CrmSelectionHeaderError {
  return new CrmSelectionHeaderError(file, line, 'a line break that is a CR alone: lines must end in LF or CRLF', field);
}

/**
 * The column names a header error may quote: ours and the configuration's. A file without a header
 * starts with a data row, where one address in two cells is common, so any other repeated name is
 * given by its field numbers only.
 */
function knownColumns(list: ReadCsvSelectionInput['list']): Set<string> {
  return new Set([
    ...selectionColumns(list.attributes),
    'email',
    'recipient_id',
    ...Object.keys(list.columns),
    ...Object.values(list.columns),
  ]);
}

const OPT_OUT_COLUMNS: ReadonlySet<string> = new Set(SUPPRESSION_COLUMNS.map(([column]) => column));
/**
 * The cells a cut last line's salvage leaves unread when the cut falls in them: its opt-outs, and the
 * consent and medium they are stated under (`11` cut to `1`, `email` to `em` would read as another
 * list's, and the opt-out would say nothing about this one: its twin sent). Unread, they may be the list's.
 */
const CUT_DOUBT_COLUMNS: ReadonlySet<string> = new Set([...OPT_OUT_COLUMNS, 'opt_in_id', 'media_type']);
/** A wider line's cells are also read joined when it has at most this many extra cells and bytes. */
const MAX_JOINED_EXTRA = 4;
const MAX_JOINED_BYTES = 64 * 1024;
/** What a malformed line's readings keep: the columns its opt-outs, their consent and the person are read from. */
const SALVAGED_COLUMNS: ReadonlySet<string> = new Set([...OPT_OUT_COLUMNS, 'opt_in_id', 'media_type', 'recipient_id', 'email']);

/** What a short line holds in a column it does not reach: nothing (null), except an opt-out, which is unknown. */
function missingCell(column: string): unknown {
  return OPT_OUT_COLUMNS.has(column) ? UNREAD_CELL : null;
}

/**
 * A malformed line read leniently (split on the delimiter, a field's surrounding quotes taken off):
 * what it may say about consent (export-and-validate), by `readingsOf`.
 */
function salvagedReadings(record: { salvage?: string; open?: true }, header: Header, dialect: CsvDialect): CrmRow[] | undefined {
  const text = record.salvage;
  if (text === undefined) return undefined;
  const fields = text
    .replace(/\r$/, '')
    .split(dialect.delimiter)
    .map((field) => {
      const quoted = field.length >= 2 && field.startsWith(dialect.quote) && field.endsWith(dialect.quote);
      // An unquoted field is literal to the strict split: only its escaped quotes are undone (it holds
      // none when well-formed), so `CORP\\jdoe` names the person its well-formed lines name.
      if (!quoted) return field.split(dialect.escape + dialect.quote).join(dialect.quote);
      return unescapeLeniently(field.slice(1, -1), dialect);
    });
  return readingsOf(fields, header, dialect.delimiter, record.open === true);
}

/** A salvaged field's escapes undone as a quoted field's are (escapesNext), wherever they stand. */
function unescapeLeniently(inner: string, dialect: CsvDialect): string {
  let value = '';
  for (let j = 0; j < inner.length; j++) value += escapesNext(inner, j, dialect) ? inner[++j] : inner[j];
  return value;
}

/**
 * A line's cells by the header's positions. No wider than the header: one reading (the opt-out cells a
 * narrower line does not reach are unread, as for any short line). Wider by k cells (a delimiter in an
 * unquoted name, a column the writer added): which cells are which columns is unknown, but column i's
 * cell is one of the k + 1 from position i on, or some of them joined by the delimiter it then held,
 * and the readings hold each of them: an opt-out the line states is never lost (optOutOfAnyReading).
 */
function readingsOf(fields: readonly string[], header: Header, delimiter: string, open: boolean): CrmRow[] {
  const extra = fields.length - header.columns.length;
  if (extra <= 0) return [header.row(fields, open, CUT_DOUBT_COLUMNS)];
  // Bounded by the line: only the columns consent is read from, each value once (a line of a million
  // delimiters is one reading), and joined cells only for a few extra cells on a line of ordinary length.
  const joined = extra <= MAX_JOINED_EXTRA && fields.reduce((n, f) => n + f.length, 0) <= MAX_JOINED_BYTES;
  const candidates = header.columns.flatMap((name, i): [string, unknown[]][] => {
    if (!SALVAGED_COLUMNS.has(name)) return [];
    const window = fields.slice(i, i + extra + 1);
    const values: unknown[] = joined
      ? window.flatMap((_, a) => window.slice(a).map((__, n) => window.slice(a, a + n + 1).join(delimiter)))
      : window;
    // A cut last field may be this column's cell: then it is unread, as on a line no wider than the header.
    if (open && i + extra + 1 >= fields.length && CUT_DOUBT_COLUMNS.has(name)) values.push(UNREAD_CELL);
    return [[name, [...new Set(values)]]];
  });
  const count = candidates.reduce((most, [, values]) => Math.max(most, values.length), 1);
  return Array.from({ length: count }, (_, j) => {
    const reading = new Map(candidates.map(([name, values]) => [name, values[Math.min(j, values.length - 1)]]));
    if (header.idFromAddress) reading.set('recipient_id', reading.get('email'));
    return Object.fromEntries(reading);
  });
}
