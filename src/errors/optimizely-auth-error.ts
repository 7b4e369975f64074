import { OptimizelyFaultError } from './optimizely-fault-error';

/**
 * Optimizely refused the credentials ("Invalid credentials.", HTTP 401/403). Permanent: retrying
 * cannot help until someone fixes the configuration.
 */
export class OptimizelyAuthError extends OptimizelyFaultError {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static override readonly retryable = false;

  override readonly name = 'OptimizelyAuthError';
}
