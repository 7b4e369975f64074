// Class names of the Optimizely errors that retrying cannot fix. Activities list them in
// `retry.nonRetryableErrorTypes` (a Temporal failure's type is the error's class name).
// OptimizelySessionError, OptimizelyTransientError, OptimizelyResponseError and the
// OptimizelyFaultError base stay retryable.
export const OPTIMIZELY_NON_RETRYABLE_ERROR_TYPES = [
  'OptimizelyAuthError',
  'OptimizelyArgumentError',
  // A response over its size cap, not UTF-8, or in an unknown content encoding: the same again.
  'OptimizelyResponseRejectedError',
] as const;
