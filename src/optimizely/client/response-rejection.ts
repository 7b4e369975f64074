/**
 * Thrown by the transport for a response it refused to read (over its cap, not UTF-8, an unknown
 * content encoding); the caller turns it into an error with the call's context: by its HTTP status
 * when that is not 200 (as an unreadable body at that status is), else OptimizelyResponseRejectedError,
 * or the retryable OptimizelyResponseError when the body only ended early (`cutShort`): a proxy that
 * closes a connection-delimited body mid-way leaves a cut gzip stream or a cut UTF-8 character, which
 * the next attempt need not, as a cut plain body is a retryable unreadable answer.
 */
export class ResponseRejection extends Error {
  override readonly name = 'ResponseRejection';

  constructor(
    message: string,
    /** The status of the response whose body was refused. */
    readonly status: number,
    /** The body was well-formed as far as it went and ended early: a retry may read it whole. */
    readonly cutShort = false,
  ) {
    super(message);
  }
}
