/** Thrown by the test PostgreSQL helper when no server binaries are installed; says what to install. */
export class PostgresServerMissingError extends Error {
  override readonly name = 'PostgresServerMissingError';

  constructor(readonly searched: readonly string[]) {
    super(
      [
        `No PostgreSQL server binaries (initdb, pg_ctl, postgres) found in: ${searched.join(', ')}.`,
        'Install them (Debian: apt-get install postgresql), put their bin directory on PATH,',
        'or set CAMPAIGN_SYNC_TEST_POSTGRES_URL to a server where the user may create databases.',
      ].join('\n'),
    );
  }
}
