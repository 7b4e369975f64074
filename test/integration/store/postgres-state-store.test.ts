import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';
import { describeStateStoreContract } from '../../helpers/store-contract';

describe('PostgreSQL state store', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeStateStoreContract({
    freshConfig: async () => {
      if (!server) throw new Error('PostgreSQL did not start');
      return { kind: 'postgres', url: await createTestDatabase(server.url) };
    },
  });
});
