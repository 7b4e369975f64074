/**
 * Thrown when a file for the CRM would have to be written in Latin-1 but a value holds a character
 * Latin-1 cannot represent; writing it would corrupt the value silently. Names the row and column,
 * never the value. Permanent for the same events.
 */
export class CrmExchangeEncodingError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmExchangeEncodingError';

  constructor(
    readonly file: string,
    readonly rowNumber: number,
    readonly column: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: row ${rowNumber}, column ${column} is not representable in Latin-1`, options);
  }
}
