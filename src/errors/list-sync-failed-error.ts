/**
 * A daily run whose list syncs did not all end ready (failed or restored); its details carry the run's status.
 * Raised by the workflows as an ApplicationFailure of this type (the type string lives in
 * workflows/failure-types.ts, tested to equal this class's name); final, never retried.
 */
export class ListSyncFailedError extends Error {
  static readonly retryable = false;
  override readonly name = 'ListSyncFailedError';
}
