import { OptimizelyResponseError } from './optimizely-response-error';

/**
 * The client refused to read a response at all: larger than the operation's cap (decompressed bytes
 * count), not valid UTF-8, or in a content encoding it does not speak. Permanent, unlike its base:
 * an endpoint that answers this way answers the same way again, and each retry would cost the
 * worker the same bytes.
 */
export class OptimizelyResponseRejectedError extends OptimizelyResponseError {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static override readonly retryable = false;

  override readonly name = 'OptimizelyResponseRejectedError';
}
