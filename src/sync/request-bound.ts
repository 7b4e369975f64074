import { OptimizelyArgumentError } from '../errors/optimizely-argument-error';
import type { SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';

// A batch is at most 1000 recipients, but nothing else bounds the size of its addAll3 request: each
// value may be as long as its field's limit (up to 100,000 code points per field), and the request
// writer escapes markup (`&` is five bytes). A request over what the server reads is refused as a
// whole ("Malformed request"), for no recipient in particular: the batch, and with it the list sync,
// would fail after the clear every day the CRM holds such values. So a batch whose request could
// exceed the bound is sent in several calls, each within it.

/**
 * Largest addAll3 request the refill sends, in bytes (an upper estimate, see `requestBytes`). The
 * API documents no limit; the simulator reads bodies up to 32 MiB; half of that leaves room for a
 * stricter server while a batch of ordinary recipients (~0.5 MB) stays one call.
 */
export const MAX_ADDALL3_REQUEST_BYTES = 16 * 1024 * 1024;

/** Bytes of envelope and call around the recipients (session, list, names). */
const CALL_OVERHEAD_BYTES = 64 * 1024;
/** Bytes of markup around one value (`<item xsi:type="soapenc:string">…</item>` and its indentation). */
const VALUE_OVERHEAD_BYTES = 64;

/**
 * An upper bound of the bytes one recipient adds to an addAll3 request: per value its markup, and five
 * bytes per UTF-16 unit (the longest escape, `&amp;`; a UTF-8 sequence is at most three bytes per unit).
 */
export function requestBytes(row: SnapshotRow): number {
  const r = row as unknown as Recipient;
  let bytes = 0;
  const add = (value: unknown) => (bytes += VALUE_OVERHEAD_BYTES + 5 * (typeof value === 'string' ? value.length : 0));
  for (const value of [r.recipientId, r.email, r.optInId, r.description, r.mediaType, r.entityType, r.entityId]) add(value);
  for (const value of Object.values(r.attributes ?? {})) add(value);
  return bytes;
}

/**
 * Sends rows [start, end) with `send`, in as few consecutive calls as keep each request within
 * `maxBytes`, and returns the codes in row order. A single recipient over the bound is refused before
 * anything is sent, with the request writer's kind of error naming its position in the group (a
 * recipient-level refusal: the refill isolates it and sends the others).
 */
/**
 * How a call is bounded: `maxBytes` (MAX_ADDALL3_REQUEST_BYTES), the `operation` the refusal of a
 * single recipient over it names (`addAll3`), and `perRowBytes` a call adds per recipient beyond its
 * values (setAttributesInBatch repeats the attribute names for every recipient).
 */
export interface RequestBound {
  maxBytes?: number;
  operation?: string;
  perRowBytes?: number;
  /** The bytes one row adds (requestBytes by default: an addAll3 recipient's values); removeAll sends the id alone. */
  rowBytes?: (row: SnapshotRow) => number;
  /** Rows per call at most (no bound by default: the refill's batches are within the API's 1000 already). */
  maxRows?: number;
  /** The parameter a single row over the bound is named by (`attributeValues`; removeAll's is `recipientIds`). */
  item?: string;
}

export async function sendWithinRequestBound(
  rows: readonly SnapshotRow[],
  start: number,
  end: number,
  send: (start: number, end: number) => Promise<readonly number[]>,
  bound: RequestBound = {},
): Promise<readonly number[]> {
  const ranges = boundedRanges(rows, start, end, {
    maxBytes: bound.maxBytes ?? MAX_ADDALL3_REQUEST_BYTES,
    operation: bound.operation ?? 'addAll3',
    perRowBytes: bound.perRowBytes ?? 0,
    rowBytes: bound.rowBytes ?? requestBytes,
    maxRows: bound.maxRows ?? Number.POSITIVE_INFINITY,
    item: bound.item ?? 'attributeValues',
  });
  if (ranges.length === 1) return send(start, end);
  const codes: number[] = [];
  for (const [from, to] of ranges) codes.push(...(await send(from, to)));
  return codes;
}

function boundedRanges(rows: readonly SnapshotRow[], start: number, end: number, bound: Required<RequestBound>): Array<[number, number]> {
  const { maxBytes, operation, maxRows, item } = bound;
  const ranges: Array<[number, number]> = [];
  let from = start;
  let bytes = CALL_OVERHEAD_BYTES;
  for (let i = start; i < end; i += 1) {
    const own = bound.rowBytes(rows[i] as SnapshotRow) + bound.perRowBytes;
    if (CALL_OVERHEAD_BYTES + own > maxBytes) {
      throw new OptimizelyArgumentError(`cannot encode request: ${item}[${i - start}] makes the request larger than ${maxBytes} bytes`, {
        service: 'Recipient',
        operation,
      });
    }
    if (bytes + own > maxBytes || i - from >= maxRows) {
      ranges.push([from, i]);
      from = i;
      bytes = CALL_OVERHEAD_BYTES;
    }
    bytes += own;
  }
  ranges.push([from, end]);
  return ranges;
}
