/**
 * Thrown by the transport for a response it refused to read (over its cap, not UTF-8, an unknown
 * content encoding); the caller turns it into OptimizelyResponseRejectedError with the call's context.
 */
export class ResponseRejection extends Error {
  override readonly name = 'ResponseRejection';
}
