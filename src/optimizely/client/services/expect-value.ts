// The codec decodes by the table's types, so values already have the right JS type; what is left to
// check is nil where the pipeline needs a value and nested shapes.
import { OptimizelyResponseError } from '../../../errors/optimizely-response-error';
import type { SoapValue } from '../codec/soap-value';
import type { Cell, Row } from '../optimizely-port';

interface Where {
  service: string;
  operation: string;
  /** What the call was about (`list 4711`). */
  subject?: string;
}

function fail(where: Where, reason: string): OptimizelyResponseError {
  return new OptimizelyResponseError(reason, where);
}

export function expectNumber(value: SoapValue, where: Where): number {
  if (typeof value !== 'number') throw fail(where, 'expected a number');
  return value;
}

/** A count (getCount): a negative one is a wrong answer, not an empty list. */
export function expectCount(value: SoapValue, where: Where): number {
  const count = expectNumber(value, where);
  if (!Number.isSafeInteger(count) || count < 0) throw fail(where, `expected a count of zero or more, got ${count}`);
  return count;
}

/**
 * Optimizely's clock may differ from ours (the simulator's runs a month ahead in tests), but a
 * server time further off than this is a wrong answer (seconds or microseconds for milliseconds, 0):
 * feedback windows and watermarks moved by it would skip events for good.
 */
export const MAX_SERVER_CLOCK_OFFSET_MS = 90 * 24 * 60 * 60 * 1000;

export function expectServerTime(value: SoapValue, where: Where, localNowMs: number): number {
  const ms = expectNumber(value, where);
  if (Math.abs(ms - localNowMs) > MAX_SERVER_CLOCK_OFFSET_MS)
    throw fail(where, "server time is more than 90 days from this worker's clock");
  return ms;
}

export function expectBoolean(value: SoapValue, where: Where): boolean {
  if (typeof value !== 'boolean') throw fail(where, 'expected a boolean');
  return value;
}

export function expectNumbers(value: SoapValue, where: Where): number[] {
  return expectItems(value, where, 'numbers', (item) => typeof item === 'number');
}

export function expectBooleans(value: SoapValue, where: Where): boolean[] {
  return expectItems(value, where, 'booleans', (item) => typeof item === 'boolean');
}

/**
 * Strings (nil items allowed, as empty fields). A nil array is not an empty one: Axis writes an empty
 * array as an empty element with `arrayType="…[0]"`, so nil says the server had no answer, and read
 * as "nothing" it would end a page read early (docs/optimizely-client.md, "Choices").
 */
export function expectCells(value: SoapValue, where: Where, of = 'the return value'): Cell[] {
  return expectItems(value, where, 'strings', (item) => item === null || typeof item === 'string', of);
}

/** An array whose every item passes `fits`; a refusal names the first item that does not by its position. */
function expectItems<T>(value: SoapValue, where: Where, what: string, fits: (item: SoapValue) => boolean, of = 'the return value'): T[] {
  if (!Array.isArray(value)) throw fail(where, `expected ${what} in ${of}, got ${value === null ? 'nil' : 'a single value'}`);
  const bad = value.findIndex((item) => !fits(item));
  if (bad >= 0) throw fail(where, `expected ${what}, item ${bad + 1} of ${of} is ${describe(value[bad]!)}`);
  return value as T[];
}

/** What a decoded value is, without quoting it (it may be recipient data). */
function describe(item: SoapValue): string {
  if (item === null) return 'nil';
  return Array.isArray(item) ? 'an array' : `a ${typeof item}`;
}

/**
 * Rows of a page. A nil page or a nil row is no answer, never an empty page or row: the pages of a
 * ClosedLoop window or of a list read end at the first short page, so a nil read as empty would end
 * the read there and the events or recipients after it would be skipped silently (the window's
 * watermark moving past them). An empty page comes as an empty array.
 */
export function expectRows(value: SoapValue, where: Where): Row[] {
  if (value === null) throw fail(where, 'the return value is nil, not a page of rows (an empty page is an empty array)');
  if (!Array.isArray(value)) throw fail(where, 'expected rows, the return value is a single value');
  return (value as SoapValue[]).map((row, r) => expectCells(row, where, `row ${r + 1} of the return value`));
}

/**
 * A page of rows that must each have `width` cells and number at most `maxRows`: a short or long row
 * means the columns are not where the reader expects them, so every cell would be misread.
 */
export function expectPage(value: SoapValue, width: number, maxRows: number, where: Where): Row[] {
  const rows = expectRows(value, where);
  if (rows.length > maxRows) throw fail(where, `${rows.length} rows for a page of ${maxRows}`);
  const bad = rows.findIndex((row) => row.length !== width);
  if (bad >= 0) throw fail(where, `row ${bad + 1} of the page has ${rows[bad]!.length} cells, not ${width}`);
  return rows;
}

/**
 * Rows of a …Flat answer (row-major, API notes §1.4): its length must be a whole number of rows of
 * `width` cells and at most `maxRows` rows; anything else is a malformed answer, not a short page.
 */
export function splitFlatRows(cells: Cell[], width: number, maxRows: number, where: Where): Row[] {
  if (width < 1) throw fail(where, 'no attribute names to split the flat answer by');
  if (cells.length % width !== 0) throw fail(where, `${cells.length} cells are not whole rows of ${width}`);
  if (cells.length / width > maxRows) throw fail(where, `${cells.length / width} rows for a page of ${maxRows}`);
  const rows: Row[] = [];
  for (let i = 0; i < cells.length; i += width) rows.push(cells.slice(i, i + width));
  return rows;
}
