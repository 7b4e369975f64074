import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { CUT_LAST_LINE, CUT_LAST_LINE_DETAIL } from '../csv/cut-last-line';
import { FORMULA_SAFE_CSV, unescapeFormulaCell } from '../csv/formula-cells';
import { FeedbackFileUnreadableError } from '../errors/feedback-file-unreadable-error';
import { FEEDBACK_COLUMNS, resolveHeader, type FeedbackColumn, type FeedbackColumnMapping, type ResolvedHeader } from './feedback-columns';
import { checkFeedbackRow, type RowRejection, type ValidFeedbackRow } from './feedback-row';
import type { FeedbackKind } from './feedback-events';
import { emptyProfile, profileCells, sampleIds, type FeedbackFileProfile, type ProfileOptions } from './feedback-file-profile';
import { readFeedbackRecords } from './read-feedback-records';

export { FEEDBACK_COLUMNS } from './feedback-columns';
/** One row as ClosedLoop pages deliver it and as bounces.csv / unsubscribes.csv hold it. */
export type FeedbackFileRow = Record<FeedbackColumn, string>;

/** A row of a feedback file: valid, or rejected with its line and reason. */
export type FeedbackLine = { ok: true; row: ValidFeedbackRow } | { ok: false; line: number; reason: RowRejection; detail: string };

export interface ReadFeedbackOptions {
  /** The client's own header names, if its export job uses others. */
  mapping?: FeedbackColumnMapping;
  /** Now, for the plausibility bound on timestamps. */
  nowMs: number;
  /**
   * A file `writeFeedbackFile` wrote: its text cells carry the formula escape and are read back
   * exactly. Never for a dropped file: there `'=…` is the value itself, and unescaping it would
   * apply an opt-out to another recipient id.
   */
  formulaEscaped?: boolean;
  /**
   * What the rows are. Given, a last line not ended by a line break whose last column is one this kind
   * reads (a recipient id, a time, an unsubscribe's list id, a bounce's category) is rejected as
   * `cut_last_line`: cut short, it could name another recipient, list, time or severity.
   */
  kind?: FeedbackKind;
  /** Sees each data record's cells as read, before its checks (inspectFeedbackFile's profile). */
  onRecord?: (fields: readonly string[], header: ResolvedHeader) => void;
  /** Hears where a NUL byte stands past the file's start (a damaged file, read all the same). */
  onStrayNul?: (reason: string) => void;
  /**
   * A file without a header line (empty, only blank lines or a byte order mark) is unreadable: a
   * dropped file so is no export of no rows (that writes its header) but one still being created, or
   * a transfer that lost it, and moved to processed/ its rows written later were never read.
   */
  headerRequired?: boolean;
  /**
   * A later line holding column names of the header (two files joined, whose columns may stand in
   * another order) makes the file unreadable: its rows after that line would be read by the first
   * header. Dropped files only: a ClosedLoop value may be any text.
   */
  refuseRepeatedHeader?: boolean;
}

/**
 * Writes rows as a feedback CSV with a header; returns how many rows were written. The file is the
 * run's audit artefact, opened by people: formula cells are escaped (docs/crm.md, "Formula cells in
 * the files we write"), so it is read back with `formulaEscaped`.
 */
export async function writeFeedbackFile(path: string, pages: AsyncIterable<FeedbackFileRow[]>): Promise<number> {
  const out = createWriteStream(path);
  const csv = stringify({ header: true, columns: [...FEEDBACK_COLUMNS], ...FORMULA_SAFE_CSV });
  csv.pipe(out);
  let rows = 0;
  try {
    for await (const page of pages) {
      for (const row of page) {
        if (!csv.write(row)) await once(csv, 'drain');
        rows += 1;
      }
    }
  } catch (error) {
    // A page that failed (or the activity's cancellation) leaves no stream open behind the attempt:
    // its descriptor would stay open, and rows still buffered could land in the retry's file.
    csv.unpipe(out);
    csv.destroy();
    // The page's failure is the one to report, not the file's (an open that failed meanwhile).
    out.on('error', () => undefined);
    out.destroy();
    await new Promise<void>((resolve) => (out.closed ? resolve() : out.once('close', () => resolve())));
    throw error;
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
  const mapping = options.mapping ?? {};
  const headerNames = options.refuseRepeatedHeader
    ? new Set(FEEDBACK_COLUMNS.map((c) => (mapping[c] ?? c).trim().toLowerCase()))
    : undefined;
  for await (const record of readFeedbackRecords(createReadStream(path), path, {
    trim: !options.formulaEscaped,
    onStrayNul: options.onStrayNul,
  })) {
    const fields = options.formulaEscaped ? record.fields.map(unescapeFormulaCell) : record.fields;
    if (header === undefined) {
      const resolved = resolveHeader(fields, options.mapping);
      if (!resolved.ok) throw new FeedbackFileUnreadableError(path, resolved.reason);
      header = resolved.header;
      continue;
    }
    if (headerNames !== undefined) refuseHeaderLine(path, fields, record.line, headerNames);
    options.onRecord?.(fields, header);
    if (record.open && options.kind !== undefined && cutChangesMeaning(header, options.kind)) {
      yield { ok: false, line: record.line, reason: CUT_LAST_LINE, detail: CUT_LAST_LINE_DETAIL };
      continue;
    }
    const checked = checkFeedbackRow(fields, header, record.line, options.nowMs);
    yield checked.ok ? checked : { ok: false, line: record.line, reason: checked.reason, detail: checked.detail };
  }
  if (header === undefined && options.headerRequired) throw new FeedbackFileUnreadableError(path, noHeaderReason(options.mapping));
}

/**
 * Throws when a data line holds two or more names of the header's columns, in any letter case: a second header
 * (two exports joined) whose order may differ from the first. Names the line and the columns (a
 * column's name, no recipient's value), never another cell.
 */
function refuseHeaderLine(path: string, fields: readonly string[], line: number, names: ReadonlySet<string>): void {
  // Any letter case: the second file's job may write its header otherwise.
  const columns = fields.flatMap((field, i) => (names.has(field.trim().toLowerCase()) ? [`"${field.trim()}" in column ${i + 1}`] : []));
  // Two at least: one cell that happens to read as a name (a recipient id `category`) is a row's value,
  // rejected or applied as such; a second header holds them all.
  if (columns.length < 2) return;
  throw new FeedbackFileUnreadableError(
    path,
    `line ${line} holds header names (${columns.join(', ')}): a second header, as of two files joined, whose columns may stand ` +
      `in another order than line 1's; nothing applied. Drop each file on its own`,
  );
}

/** Why a file without a header line is not read: names the header expected, never a cell. */
function noHeaderReason(mapping: FeedbackColumnMapping = {}): string {
  const expected = FEEDBACK_COLUMNS.map((column) => mapping[column] ?? column).join(',');
  return (
    `the file holds no header line (it is empty, or only blank lines or a byte order mark): expected ${expected} as its ` +
    `first line (an export of no rows writes its header); nothing applied. A file still being created looks so: drop it again once written`
  );
}

/** The columns whose value each kind of row reads: a part of one is another value. */
const READ_COLUMNS: Record<FeedbackKind, readonly FeedbackColumn[]> = {
  unsubscribe: ['recipientId', 'timestamp', 'recipientListId'],
  bounce: ['recipientId', 'timestamp', 'category'],
};

/** Whether the file's last column is one the kind reads (a cut there changes the row, not its width). */
function cutChangesMeaning(header: ResolvedHeader, kind: FeedbackKind): boolean {
  const last = FEEDBACK_COLUMNS.find((column) => header.index[column] === header.width - 1);
  return last !== undefined && READ_COLUMNS[kind].includes(last);
}

/**
 * The lists whose rows tell whether the file's ids fit (feedback-file-ids.ts). An unsubscribe concerns
 * the list it names, so rows of lists nobody synchronises are never applied to our people and are left
 * out: an export job of every list would otherwise look like a file of wrong ids. A bounce concerns the
 * person whichever list it came through (feedback-events.ts), so every row of a bounce file counts:
 * a swapped bounce file whose rows all name another list still bounces whoever a mailing id matches.
 * Unknown kind: every row, as a bounce.
 */
function sampledLists(options: ReadFeedbackOptions & ProfileOptions): ReadonlySet<number> | undefined {
  return options.kind === 'unsubscribe' ? options.listIds : undefined;
}

/**
 * Whether a row is older than where the ledger of what was sent is complete: a recipient it names may
 * have been sent by a run the retention pruned, so its id tells nothing of the file (feedback-file-ids.ts).
 */
function sampledBefore(row: { occurredAt: string }, options: ProfileOptions): boolean {
  return options.sampleSince !== undefined && Date.parse(row.occurredAt) < options.sampleSince;
}

/**
 * Reads a file through once without applying anything: throws if it is unreadable, else profiles its
 * rows (how many, how many rejected, what its columns hold: feedback-file-doubts.ts).
 */
export async function inspectFeedbackFile(path: string, options: ReadFeedbackOptions & ProfileOptions): Promise<FeedbackFileProfile> {
  const profile = emptyProfile();
  const onRecord = profileCells(profile, options);
  const onStrayNul = (reason: string) => (profile.strayNul = reason);
  for await (const line of readFeedbackFile(path, { ...options, onRecord, onStrayNul, headerRequired: true, refuseRepeatedHeader: true })) {
    profile.rows += 1;
    if (line.ok) sampleIds(sampledBefore(line.row, options) ? profile.idsBefore : profile.ids, line.row, sampledLists(options));
    else profile.rejected[line.reason] = (profile.rejected[line.reason] ?? 0) + 1;
  }
  return profile;
}
