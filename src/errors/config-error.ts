/**
 * The configuration is wrong: every problem is listed with its path (`clients.0.lists.1.listId`).
 * Permanent: retrying an activity cannot fix a configuration file.
 */
export class ConfigError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}
