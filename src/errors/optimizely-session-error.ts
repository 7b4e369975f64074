import { OptimizelyFaultError } from './optimizely-fault-error';

/**
 * The server rejected the session id ("Invalid sessionId") even after the client logged in again
 * and retried once. Retryable: a later attempt starts with a fresh login.
 */
export class OptimizelySessionError extends OptimizelyFaultError {
  /** Transient: a retry may succeed. */
  static override readonly retryable = true;

  override readonly name = 'OptimizelySessionError';
}
