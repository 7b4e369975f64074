/**
 * A list holds a different number of recipients after the refill than the refill's accepted count.
 * Raised by the workflows as an ApplicationFailure of this type (the type string lives in
 * workflows/failure-types.ts, tested to equal this class's name); final, never retried.
 */
export class VerifyMismatchError extends Error {
  static readonly retryable = false;
  override readonly name = 'VerifyMismatchError';
}
