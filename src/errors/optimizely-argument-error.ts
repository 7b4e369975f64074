import { OptimizelyFaultError } from './optimizely-fault-error';

/**
 * The call itself is wrong: more elements than the batch limit, arrays of different lengths, an
 * unknown list or attribute, a recipient that does not exist, a value XML cannot carry. Permanent:
 * the same call fails the same way again.
 */
export class OptimizelyArgumentError extends OptimizelyFaultError {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static override readonly retryable = false;

  override readonly name = 'OptimizelyArgumentError';

  /**
   * Positions in the call's recipient arrays that the fault names (addAll3 only; a hint, see
   * src/optimizely/client/named-recipients.ts). Numbers only: no recipient data travels with it.
   */
  namedPositions?: readonly number[];
}
