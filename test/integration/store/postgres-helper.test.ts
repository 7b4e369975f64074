import { Client } from 'pg';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';

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
