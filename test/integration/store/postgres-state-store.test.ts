import { createStateStore } from '../../../src/store';
import { CopyValueError } from '../../../src/errors/copy-value-error';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';
import { aSent } from '../../helpers/store-builders';
import { describeStateStoreContract } from '../../helpers/store-contract';

describe('PostgreSQL state store', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const freshConfig = async () => {
    if (!server) throw new Error('PostgreSQL did not start');
    return { kind: 'postgres' as const, url: await createTestDatabase(server.url) };
  };

  const languageOrderedConfig = async () => {
    if (!server) throw new Error('PostgreSQL did not start');
    return { kind: 'postgres' as const, url: await createTestDatabase(server.url, { icuLocale: 'en-US' }) };
  };

  describeStateStoreContract({ freshConfig, languageOrderedConfig });

  it.each([3, 1000])('refuses a ledger batch of %i holding NUL with an error naming the column, and records none of it', async (size) => {
    const store = await createStateStore(await freshConfig());
    try {
      const batch = Array.from({ length: size }, (_, i) => aSent(`n${i}@x.test`, 0, { runId: 'nul' }));
      batch[size - 1] = aSent('bad\u0000@x.test', 0, { runId: 'nul' });
      await expect(store.ledger.record(batch)).rejects.toThrow(CopyValueError);
      await expect(store.ledger.record(batch)).rejects.toThrow(/ledger_spans\.recipient_id of row \d+: text contains U\+0000/);
      expect((await store.ledger.count('nul')).sent).toBe(0);
    } finally {
      await store.close();
    }
  });
});
