import type { SqlDb } from '../../db/sql-db';
import { mergeRanges } from './content-id-ranges';

/**
 * Id ranges per statement (a power of two; two parameters each, far below PostgreSQL's limit): on
 * PostgreSQL every statement is a round trip. SQLite runs in the worker's process, where one
 * statement per range is cheaper than its OR of ranges (which collects the rowids it found).
 */
const RANGES_PER_STATEMENT = { postgres: 256, sqlite: 1 } as const;

/** One span of consecutive content ids, both ends included. */
export type Span = readonly [first: number, last: number];

/**
 * The content texts of `spans`, in span order and id order within a span: position k of the result
 * is the k-th id the spans name (an id named twice is read once and placed twice). The spans are
 * merged into sorted id ranges and read, on PostgreSQL, with one statement for up to 256 of them,
 * however short and scattered (a much-churned list): an unchanged stretch of a snapshot is one range,
 * a read of eight chunks one round trip, not one per span. A position left `undefined` is an id without a
 * content row; the caller decides what that means.
 *
 * Not a join of the spans as a VALUES table: PostgreSQL cannot estimate such a join's rows and
 * JIT-compiles it (120 ms for 256 spans, measured), where literal ranges are estimated from statistics.
 */
export async function readSpans(db: SqlDb, spans: readonly Span[]): Promise<Array<string | undefined>> {
  const ranges = mergeRanges(spans.map(([first, last]): [number, number] => [first, last]));
  const byId = new Map<number, string>();
  const perStatement = RANGES_PER_STATEMENT[db.dialect];
  for (let from = 0; from < ranges.length; from += perStatement) {
    const part = ranges.slice(from, from + perStatement);
    const size = statementSize(part.length);
    const params = part.flat();
    // Padding ranges are empty (first > last): they match no row.
    for (let k = part.length; k < size; k += 1) params.push(1, 0);
    const rows = await db.all<{ id: number | string; row_json: string }>(rangeStatement(size), params);
    for (const row of rows) byId.set(Number(row.id), row.row_json);
  }
  const texts: Array<string | undefined> = [];
  for (const [first, last] of spans) for (let id = first; id <= last; id += 1) texts.push(byId.get(id));
  return texts;
}

/** The next power of two: a few statement texts, each kept prepared, whatever the span counts. */
function statementSize(count: number): number {
  let size = 1;
  while (size < count) size *= 2;
  return size;
}

function rangeStatement(count: number): string {
  return `SELECT id, row_json FROM snapshot_contents WHERE ${Array(count).fill('(id >= ? AND id <= ?)').join(' OR ')}`;
}
