/**
 * Thrown at the end of a CSV exchange file when more of its lines are malformed than the list
 * allows (`maxMalformedPercent`): the file is broken, not a few of its rows; or as soon as a data
 * line holds a line break that is a CR alone (`crLineBreak`), since such a line may hold several
 * records and reading it as one malformed line would lose all but none of them silently. Raised by
 * the export, so the list sync fails before the clear. Names the file and counts or line, never a
 * value. Permanent.
 */
export class CrmSelectionMalformedError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmSelectionMalformedError';

  constructor(
    readonly file: string,
    readonly malformedLines: number,
    readonly dataLines: number,
    readonly maxPercent: number,
    options?: { cause?: unknown; message?: string },
  ) {
    super(
      options?.message ??
        `${file}: ${malformedLines} of ${dataLines} lines are malformed, more than ${maxPercent}%; nothing was changed at Optimizely`,
      options,
    );
  }

  /** A data line holding a CR alone outside quotes (`field`, when known, is where): its records cannot be told apart. */
  static crLineBreak(file: string, line: number, field?: number): CrmSelectionMalformedError {
    const where = `line ${line}${field === undefined ? '' : ` field ${field}`}`;
    return new CrmSelectionMalformedError(file, 1, line, 0, {
      message: `${file}: ${where} holds a line break that is a CR alone outside quotes: lines must end in LF or CRLF, and the records such a line may join cannot be told apart (read as one malformed line, all of them would be lost); nothing was changed at Optimizely`,
    });
  }
}
