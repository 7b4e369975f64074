/**
 * Thrown before a bulk write to PostgreSQL starts when a value cannot be stored as text: PostgreSQL
 * text cannot hold U+0000. Names the table, column and row position, never the value (it may be an
 * e-mail address). Nothing of the write is applied.
 */
export class CopyValueError extends Error {
  override readonly name = 'CopyValueError';

  constructor(
    readonly table: string,
    readonly column: string,
    readonly row: number,
    readonly problem: string,
  ) {
    super(`Cannot write ${table}.${column} of row ${row}: ${problem}`);
  }
}
