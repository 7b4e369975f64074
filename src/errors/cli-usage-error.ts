/** The command line is wrong (unknown command or flag, missing argument); the CLI exits with 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';

  constructor(
    message: string,
    readonly usage?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
