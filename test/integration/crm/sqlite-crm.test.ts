import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { crmConfigSchema, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { demoCrmLists } from '../../../src/demo/demo-lists';
import { sqlCrmContract, type OpenFixture } from './sql-crm-contract';

// Each test gets its own copy of the demo CRM file, since feedback changes it.
const openSqlite: OpenFixture = async (demoFile, statements) => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sqlite-crm-'));
  const file = join(dir, 'crm.db');
  copyFileSync(demoFile, file);
  const config = crmConfigSchema.parse({ kind: 'sqlite', file, lists: demoCrmLists(), statements }) as SqliteCrmConfig;
  const crm = openSqliteCrm(config);
  const inspect = new Database(file, { readonly: true });
  return {
    crm,
    rows: async (sql) => inspect.prepare(sql).all(),
    close: async () => {
      inspect.close();
      await crm.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

describe('SQLite CRM adapter', () => {
  sqlCrmContract(openSqlite, 'sqlite');
});
