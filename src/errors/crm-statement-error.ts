/**
 * Thrown when a configured CRM statement cannot be used: it names a parameter campaign-sync does not
 * provide, or the database rejects it. Permanent: the configuration must change.
 */
export class CrmStatementError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmStatementError';

  constructor(
    readonly statement: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`CRM statement "${statement}": ${reason}`, options);
  }
}
