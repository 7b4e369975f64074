import { Pool } from 'pg';
import { crmConfigSchema, type PostgresCrmConfig } from '../../../src/crm/crm-config';
import { openPostgresCrm } from '../../../src/crm/sql/postgres-crm';
import { demoCrmLists } from '../../../src/demo/demo-lists';
import { loadDemoCrmIntoPostgres } from '../../../src/demo/load-demo-into-postgres';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';
import { sqlCrmContract, type OpenFixture } from './sql-crm-contract';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server.stop();
});

// Each test gets a fresh database loaded from the same demo CRM file as the SQLite suite.
const openPostgres: OpenFixture = async (demoFile, statements) => {
  const url = await createTestDatabase(server.url);
  await loadDemoCrmIntoPostgres(demoFile, url);
  const config = crmConfigSchema.parse({ kind: 'postgres', url, chunkSize: 50, lists: demoCrmLists(), statements }) as PostgresCrmConfig;
  const crm = openPostgresCrm(config, url);
  const inspect = new Pool({ connectionString: url, max: 1 });
  return {
    crm,
    rows: async (sql) => (await inspect.query(sql)).rows,
    close: async () => {
      await inspect.end();
      await crm.close();
    },
  };
};

describe('PostgreSQL CRM adapter', () => {
  sqlCrmContract(openPostgres);
});
