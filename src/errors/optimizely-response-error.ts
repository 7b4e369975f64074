import { OptimizelyFaultError } from './optimizely-fault-error';

/**
 * The server answered, but not with an envelope the client understands (not XML, a DOCTYPE, no Body,
 * a dangling href, a value of the wrong type). Retryable, since proxies and overloaded servers
 * produce such answers; a persistent one shows up as exhausted retries.
 */
export class OptimizelyResponseError extends OptimizelyFaultError {
  override readonly name = 'OptimizelyResponseError';
}
