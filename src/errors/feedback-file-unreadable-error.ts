/**
 * Thrown when a feedback file cannot be read as a whole (not UTF-8, not CSV, a record over the size
 * bound, a header that is not the documented one). A dropped file that throws it is quarantined, not
 * retried: the same bytes fail the same way. The reason names no recipient data.
 */
export class FeedbackFileUnreadableError extends Error {
  override readonly name = 'FeedbackFileUnreadableError';

  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}
