import { OptimizelyFaultError } from '../../errors/optimizely-fault-error';
import { OPTIMIZELY_NON_RETRYABLE_ERROR_TYPES } from './retry-contract';

export interface RetryReadOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. */
  delayMs?: number;
}

const permanent: ReadonlySet<string> = new Set(OPTIMIZELY_NON_RETRYABLE_ERROR_TYPES);

/**
 * Retries an idempotent read (a ClosedLoop page) a few times on a retryable Optimizely fault before
 * giving up. A failed page otherwise fails its whole activity, whose retries back off for seconds to
 * minutes; a read can simply be asked again. Never used for writes: their retry is the activity's.
 */
export async function retryRead<T>(read: () => Promise<T>, options: RetryReadOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      const retryable = error instanceof OptimizelyFaultError && !permanent.has(error.name);
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, (options.delayMs ?? 200) * 2 ** (attempt - 1)));
    }
  }
}
