import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Pool } from 'pg';
import { crmConfigSchema, type PostgresCrmConfig } from '../../../src/crm/crm-config';
import { openPostgresCrm } from '../../../src/crm/sql/postgres-crm';
import { demoCrmLists } from '../../../src/demo/demo-lists';
import { generateDemoCrm } from '../../../src/demo/generate-demo-crm';
import { CrmStatementError } from '../../../src/errors/crm-statement-error';
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
  sqlCrmContract(openPostgres, 'postgres');
});

describe('PostgreSQL CRM refusing a value', () => {
  // A CRM whose entity ids are integers: PostgreSQL refuses any other text with a message quoting it
  // (SQLSTATE 22P02). The refusal reaches logs and the workflow history without the value.
  it('names the statement and the SQLSTATE, never the recipient id or entity id it refused', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'crm-refusal-'));
    const demoFile = join(demoDir, 'demo.db');
    generateDemoCrm({ contacts: 5, file: demoFile, seed: 1 });
    const fx = await openPostgres(demoFile, { entityExists: 'SELECT CAST(CAST(:entityId AS text) AS integer) AS entity' });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.emailAddress(),
          fc
            .oneof(
              fc.string({ unit: 'grapheme', minLength: 3, maxLength: 200 }),
              fc.string({ unit: fc.constantFrom('\u0000', '\uFEFF', '\r', '\n', '"', 'x'), minLength: 3, maxLength: 9 }),
            )
            .filter((s) => s.trim().length >= 3 && !/^\s*[+-]?\d+\s*$/.test(s)),
          async (recipientId, entityId) => {
            const event = {
              kind: 'bounce' as const,
              recipientId,
              entityType: 'contact',
              entityId,
              optInId: '11',
              mediaType: 'email',
              occurredAt: '2026-11-01T10:00:00Z',
            };
            const refused = await fx.crm.applyFeedback([event]).then(
              () => undefined,
              (error: unknown) => error,
            );
            expect(refused).toBeInstanceOf(CrmStatementError);
            const { message } = refused as CrmStatementError;
            expect(message).toMatch(/^CRM statement "entityExists": .*\(SQLSTATE 22[0-9A-Z]{3}\)$/s);
            expect(message).not.toContain(entityId.trim());
            expect(message).not.toContain(recipientId);
            expect((refused as Error).cause).toBeUndefined();
          },
        ),
        { numRuns: 25 },
      );
    } finally {
      await fx.close();
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL CRM selection failing on a row', () => {
  // A selection casting a column some row cannot hold: PostgreSQL's message quotes that row's value.
  it('names the list query setting and the SQLSTATE, never the value of the row', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'crm-selection-'));
    const demoFile = join(demoDir, 'demo.db');
    generateDemoCrm({ contacts: 20, file: demoFile, seed: 2 });
    const url = await createTestDatabase(server.url);
    await loadDemoCrmIntoPostgres(demoFile, url);
    const query = 'SELECT email AS recipient_id, CAST(email AS integer) AS broken FROM contacts';
    const config = crmConfigSchema.parse({ kind: 'postgres', url, chunkSize: 5, lists: { casts: { query } } }) as PostgresCrmConfig;
    const crm = openPostgresCrm(config, url);
    const inspect = new Pool({ connectionString: url, max: 1 });
    try {
      const emails = (await inspect.query<{ email: string }>('SELECT email FROM contacts')).rows.map((r) => r.email);
      expect(emails.length).toBeGreaterThan(0);
      const failure = await (async () => {
        for await (const row of crm.exportSelection('casts')) void row;
      })().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(CrmStatementError);
      const { message } = failure as CrmStatementError;
      expect(message).toMatch(/^CRM statement "lists\.casts\.query": .*\(SQLSTATE 22P02\)$/);
      for (const email of emails) expect(message).not.toContain(email);
    } finally {
      await inspect.end();
      await crm.close();
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
