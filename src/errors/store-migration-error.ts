/** Thrown when a state store migration fails; the database stays at the previous version. */
export class StoreMigrationError extends Error {
  override readonly name = 'StoreMigrationError';

  constructor(
    readonly dialect: string,
    readonly version: number,
    readonly migrationName: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`State store migration ${version} (${migrationName}) failed on ${dialect}${reason}`, options);
  }
}
