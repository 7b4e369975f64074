import type { Options } from 'csv-stringify';

// Spreadsheet formula injection (OWASP "CSV Injection"): Excel, LibreOffice and Numbers evaluate a
// cell that starts with = + - @, a tab or a carriage return, so a CRM name `=HYPERLINK(...)` in a
// file we write would run when an operator opens it. Every CSV we write passes its text cells through
// `escapeFormulaCell` (docs/crm.md, "Formula cells in the files we write"): such a cell gets a leading apostrophe,
// the mark spreadsheets read as "this is text". This is csv-stringify's `escape_formulas` rule
// (including the full-width forms Numbers folds to ASCII) with one addition: a cell that already
// starts with an apostrophe gets one more, so the escape can be undone exactly (`unescapeFormulaCell`)
// by an importer that needs the raw value. Numbers are written as numbers: `-5` is not a formula.

const FORMULA_LEAD = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);
const MARK = "'";

/** True when a spreadsheet would treat the text as a formula (or it starts with the escape mark). */
export function needsFormulaEscape(text: string): boolean {
  const first = text.charAt(0);
  return first === MARK || FORMULA_LEAD.has(first);
}

/** The cell as written: a leading apostrophe before a formula character (or an apostrophe). */
export function escapeFormulaCell(text: string): string {
  return needsFormulaEscape(text) ? MARK + text : text;
}

/** The exact inverse of `escapeFormulaCell`, for a reader that needs the raw value back. */
export function unescapeFormulaCell(cell: string): string {
  return cell.charAt(0) === MARK && needsFormulaEscape(cell.slice(1)) ? cell.slice(1) : cell;
}

/** csv-stringify options every writer of a CSV file spreads into its own. */
export const FORMULA_SAFE_CSV: Pick<Options, 'cast'> = { cast: { string: escapeFormulaCell } };
