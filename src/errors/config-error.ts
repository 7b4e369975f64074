import { shownInput, SHOWN_PATH_MAX, visibleLine } from './quoted-text';

/** Characters of one problem an error prints: a problem names a path and a rule, seldom more than a line. */
const PROBLEM_MAX = 1000;

/**
 * The configuration is wrong: every problem is listed with its path (`clients.0.lists.1.listId`).
 * Permanent: retrying an activity cannot fix a configuration file.
 *
 * The source is a file an operator named (`--config`, CAMPAIGN_SYNC_CONFIG) and a problem may quote a
 * key of the file: both are shown on one bounded line each (quoted-text.ts). A path holding a line
 * break printed lines that read as the CLI's, a megabyte path a megabyte of error.
 */
export class ConfigError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    const lines = problems.map((p) => `  ${visibleLine(p, PROBLEM_MAX)}`);
    super(`Invalid configuration in ${shownInput(source, SHOWN_PATH_MAX)}:\n${lines.join('\n')}`);
  }
}
