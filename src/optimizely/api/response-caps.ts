// The largest response body the client reads for each operation, decided here beside the API table.
// The client stops reading at the cap and fails the call with a non-retryable
// OptimizelyResponseRejectedError; decompressed bytes are what count. A parsed body costs many times
// its size in heap (a 20 MiB page held +181 MiB), so the caps are set from what a legitimate answer
// can hold, with headroom, not from what the worker could survive. Figures are Axis-shaped answers written by the simulator.
import type { OperationSpec } from './types';

const KiB = 1024;
const MiB = 1024 * KiB;

/** One value, void, or a fault (Axis may put a Java stack trace of some KB in its detail). */
export const SINGLE_VALUE_CAP = 256 * KiB;
/**
 * An array of at most the batch limit of 1000 elements: addAll3's 1000 result codes are ~220 KB,
 * getAllIds' 1000 long ids ~240 KB.
 */
export const BATCH_ARRAY_CAP = 2 * MiB;
/**
 * A page of rows: a ClosedLoop page of 1000 rows of 8 cells of 40 characters is ~0.9 MB, a
 * getAllAdvanced page of 1000 rows of 20 cells of 50 characters ~2.5 MB.
 */
export const ROW_PAGE_CAP = 8 * MiB;

/** The response cap in bytes for an operation. */
export function responseCapBytes(operation: OperationSpec): number {
  const { returns } = operation;
  // Whole-list reads (getAll, getAllFlat) get a page's cap too: reading many rows takes a page getter.
  if (returns === 'string[][]') return ROW_PAGE_CAP;
  // The …Flat variants return a page of rows flattened into one array.
  if (returns === 'string[]' && operation.name.endsWith('Flat')) return ROW_PAGE_CAP;
  if (returns.endsWith('[]')) return BATCH_ARRAY_CAP;
  return SINGLE_VALUE_CAP;
}
