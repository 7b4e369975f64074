/**
 * Thrown when the header line of a CSV exchange file cannot be read (e.g. an unclosed quote). Names
 * the file, line, field number and problem, never text from the file. Permanent for the same file.
 */
export class CrmSelectionHeaderError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmSelectionHeaderError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
    readonly field?: number,
    options?: { cause?: unknown },
  ) {
    super(`${file}: the header at line ${line} cannot be read (${problem}${field === undefined ? '' : ` in field ${field}`})`, options);
  }
}
