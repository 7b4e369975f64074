import { OptimizelyFaultError } from './optimizely-fault-error';

/**
 * The server answered, but not with an envelope the client understands (not XML, a DOCTYPE, no Body,
 * a dangling href, a value of the wrong type). Retryable, since proxies and overloaded servers
 * produce such answers; a persistent one shows up as exhausted retries. Responses the client refuses
 * to read at all are the permanent subclass OptimizelyResponseRejectedError.
 */
export class OptimizelyResponseError extends OptimizelyFaultError {
  /** Transient: a retry may succeed. */
  static override readonly retryable: boolean = true;

  override readonly name: string = 'OptimizelyResponseError';
}
