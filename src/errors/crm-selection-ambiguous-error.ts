/**
 * Thrown when a list's selection returns a column the export reads more than once, or a consent
 * column (`unsubscribed`, `consent_withdrawn`, …) under another spelling, so its consent could only
 * be guessed. Raised before any row is used: the export fails instead of sending. Names columns only,
 * never a value. Permanent.
 */
export class CrmSelectionAmbiguousError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmSelectionAmbiguousError';

  constructor(
    readonly listKey: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`selection of list "${listKey}" ${problem}; nothing was changed at Optimizely`, options);
  }
}
