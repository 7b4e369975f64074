/** Thrown when the CRM configuration cannot be turned into a connection (e.g. urlEnv unset); permanent. */
export class CrmConfigError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmConfigError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`CRM configuration: ${reason}`, options);
  }
}
