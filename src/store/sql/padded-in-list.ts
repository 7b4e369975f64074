import type { SqlValue } from '../../db/sql-db';

/** The smallest list an IN (…) is padded to: shorter lists are cheap to prepare anyway. */
const SMALLEST = 8;
/** Longer lists are left as they are: padding could double them past a parameter limit, and they are rare. */
const LARGEST = 512;

/**
 * An `IN (…)` list's placeholders and values, padded to a power of two (at least 8) by repeating its
 * last value. Statements are cached by their text: a look-up asked for a page's new ids (any count
 * from 1 to 500) was a new text almost every time, prepared again (a 500-id statement costs about as
 * much to prepare as to run); padded, a look-up has a handful of texts. A repeated value changes no
 * answer: IN is membership, a row matches once however often its value is listed. A list longer than
 * 512 values is not padded.
 */
export function paddedInList(values: readonly SqlValue[]): { marks: string; values: SqlValue[] } {
  if (values.length === 0 || values.length > LARGEST) return { marks: values.map(() => '?').join(', '), values: [...values] };
  let size = SMALLEST;
  while (size < values.length) size *= 2;
  const last = values[values.length - 1] as SqlValue;
  const padded = [...values, ...Array.from({ length: size - values.length }, () => last)];
  return { marks: padded.map(() => '?').join(', '), values: padded };
}
