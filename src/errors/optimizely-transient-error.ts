import { OptimizelyFaultError } from './optimizely-fault-error';

/**
 * The call did not complete for a reason that may pass: a timeout, a refused or reset connection,
 * HTTP 5xx without a SOAP fault (e.g. 503), HTTP 429, or the per-client connection limit. Retryable.
 */
export class OptimizelyTransientError extends OptimizelyFaultError {
  /** Transient: a retry may succeed. */
  static override readonly retryable = true;

  override readonly name = 'OptimizelyTransientError';

  /** The call ran out of its time rather than failing fast: asking again at once would likely wait as long. */
  timedOut = false;
}
