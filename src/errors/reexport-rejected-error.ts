/**
 * A list sync paused between chunks for longer than `guard.reexportAfter` exported again, and the
 * guard held the re-export and an operator rejected it (or the approval timed out): neither export
 * may be sent, so the run fails (a refresh then restores the last good list; a reconcile's list stays
 * complete as far as it got). Raised by the workflow as an ApplicationFailure of this type (the type
 * string lives in workflows/failure-types.ts, tested to equal this class's name); final, never retried.
 */
export class ReexportRejectedError extends Error {
  static readonly retryable = false;
  override readonly name = 'ReexportRejectedError';
}
