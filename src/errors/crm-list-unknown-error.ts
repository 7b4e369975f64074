/** Thrown when the CRM configuration has no selection for a synchronised list; permanent. */
export class CrmListUnknownError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmListUnknownError';

  constructor(
    readonly listKey: string,
    options?: { cause?: unknown },
  ) {
    super(`the CRM configuration has no selection for list "${listKey}"`, options);
  }
}
