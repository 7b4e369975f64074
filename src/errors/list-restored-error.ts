/**
 * A list sync that failed after its clear and refilled the last good run's recipients instead: not ready.
 * Raised by the workflows as an ApplicationFailure of this type (the type string lives in
 * workflows/failure-types.ts, tested to equal this class's name); final, never retried.
 */
export class ListRestoredError extends Error {
  static readonly retryable = false;
  override readonly name = 'ListRestoredError';
}
