import { OptimizelyFaultError } from '../../errors/optimizely-fault-error';

export interface RetryReadOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** Wait before the second try; doubled before each further one. */
  delayMs?: number;
  /** Whether a failure is worth asking again for; by default every retryable Optimizely fault. */
  retryOn?: (error: unknown) => boolean;
}

/** A fault whose class says asking again can help (`static retryable`, the contract the workflows' non-retryable list is checked against). */
export function isRetryableFault(error: unknown): boolean {
  return error instanceof OptimizelyFaultError && (error.constructor as typeof OptimizelyFaultError).retryable;
}

/**
 * Retries an idempotent read (any `get…`/`contains…`/`is…` call, see SoapCaller.call) a few times on a retryable Optimizely fault before
 * giving up. A failed read otherwise fails its whole activity, whose retries back off for seconds to
 * minutes; a read can simply be asked again. Never used for writes: their retry is the activity's.
 * Used by SoapCaller only: a caller's own retry around a client read would multiply the tries.
 */
export async function retryRead<T>(read: () => Promise<T>, options: RetryReadOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!(options.retryOn ?? isRetryableFault)(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, (options.delayMs ?? 200) * 2 ** (attempt - 1)));
    }
  }
}
