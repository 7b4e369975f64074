/**
 * Thrown by the transport for a response it refused to read (over its cap, not UTF-8, an unknown
 * content encoding); the caller turns it into an error with the call's context: by its HTTP status
 * when that is not 200 (as an unreadable body at that status is), else OptimizelyResponseRejectedError.
 */
export class ResponseRejection extends Error {
  override readonly name = 'ResponseRejection';

  constructor(
    message: string,
    /** The status of the response whose body was refused. */
    readonly status: number,
  ) {
    super(message);
  }
}
