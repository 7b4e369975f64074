/**
 * Thrown before the clear when what Optimizely holds cannot take the list's recipients: the list
 * does not exist for the client, lacks fields the mapping sends, or the opt-in process is unknown.
 * Each problem names the field or setting. Permanent: only a configuration change (or Optimizely's
 * support adding the field) fixes it, and the list is left as it was.
 */
export class ListPreflightError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'ListPreflightError';

  constructor(
    readonly listKey: string,
    readonly problems: readonly string[],
  ) {
    super(`list ${listKey} failed the pre-flight check, nothing was cleared: ${problems.join('; ')}`);
  }
}
