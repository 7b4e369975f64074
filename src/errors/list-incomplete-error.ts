/**
 * A list sync that failed after its clear and could not restore the last good run: the list is incomplete.
 * Raised by the workflows as an ApplicationFailure of this type (the type string lives in
 * workflows/failure-types.ts, tested to equal this class's name); final, never retried.
 */
export class ListIncompleteError extends Error {
  static readonly retryable = false;
  override readonly name = 'ListIncompleteError';
}
