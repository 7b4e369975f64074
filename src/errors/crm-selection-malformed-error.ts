/**
 * Thrown at the end of a CSV exchange file when more of its lines are malformed than the list
 * allows (`maxMalformedPercent`): the file is broken, not a few of its rows. Raised by the export,
 * so the list sync fails before the clear. Names the file and counts, never a value. Permanent.
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
    options?: { cause?: unknown },
  ) {
    super(
      `${file}: ${malformedLines} of ${dataLines} lines are malformed, more than ${maxPercent}%; nothing was changed at Optimizely`,
      options,
    );
  }
}
