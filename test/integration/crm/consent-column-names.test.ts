import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { crmConfigSchema, type PostgresCrmConfig, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import type { CrmPort } from '../../../src/crm/crm-port';
import { openPostgresCrm } from '../../../src/crm/sql/postgres-crm';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { CrmSelectionAmbiguousError } from '../../../src/errors/crm-selection-ambiguous-error';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';

// A real CRM's selection whose opt-out column is spelled otherwise (SQLite keeps a quoted alias's
// case; PostgreSQL too) or returned twice by a join (the driver's row object keeps one of the two
// values): the export fails before any row is used, naming the column, instead of sending people
// who withdrew. Both fail on the former adapters, which sent the withdrawn person.

const COLUMNS = `p.email AS recipient_id, p.email, '11' AS opt_in_id, '' AS description, 'email' AS media_type, 'contact' AS entity_type, p.id AS entity_id`;
const SELECTIONS = {
  respelled: `SELECT ${COLUMNS}, p.withdrawn AS "Consent_Withdrawn" FROM people p ORDER BY p.id`,
  hyphenated: `SELECT ${COLUMNS}, p.withdrawn AS "consent-withdrawn" FROM people p ORDER BY p.id`,
  // The person's own row says withdrawn; a joined lead row's clean flag comes last under the same name.
  twice: `SELECT ${COLUMNS}, p.withdrawn AS consent_withdrawn, l.withdrawn AS consent_withdrawn FROM people p JOIN leads l ON l.id = p.id ORDER BY p.id`,
  exact: `SELECT ${COLUMNS}, p.withdrawn AS consent_withdrawn FROM people p ORDER BY p.id`,
};
const PEOPLE = [
  ['C1', 'anna@example.com', 1],
  ['C2', 'bob@example.com', 0],
] as const;

describe('consent columns under another name or twice, from a real CRM', () => {
  let server: TestPostgres;
  const dir = mkdtempSync(join(tmpdir(), 'consent-columns-'));
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function postgresCrm(): Promise<CrmPort> {
    const url = await createTestDatabase(server.url);
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await pool.query('CREATE TABLE people (id text, email text, withdrawn int); CREATE TABLE leads (id text, withdrawn int)');
      for (const [id, email, withdrawn] of PEOPLE) {
        await pool.query('INSERT INTO people VALUES ($1, $2, $3)', [id, email, withdrawn]);
        await pool.query('INSERT INTO leads VALUES ($1, 0)', [id]);
      }
    } finally {
      await pool.end();
    }
    const lists = Object.fromEntries(Object.entries(SELECTIONS).map(([key, query]) => [key, { query }]));
    return openPostgresCrm(crmConfigSchema.parse({ kind: 'postgres', url, lists }) as PostgresCrmConfig, url);
  }

  function sqliteCrm(): CrmPort {
    const file = join(dir, 'crm.db');
    const db = new Database(file);
    db.exec('CREATE TABLE people (id TEXT, email TEXT, withdrawn INTEGER); CREATE TABLE leads (id TEXT, withdrawn INTEGER)');
    for (const [id, email, withdrawn] of PEOPLE) {
      db.prepare('INSERT INTO people VALUES (?, ?, ?)').run(id, email, withdrawn);
      db.prepare('INSERT INTO leads VALUES (?, 0)').run(id);
    }
    db.close();
    const lists = Object.fromEntries(Object.entries(SELECTIONS).map(([key, query]) => [key, { query }]));
    return openSqliteCrm(crmConfigSchema.parse({ kind: 'sqlite', file, lists }) as SqliteCrmConfig);
  }

  async function exportList(crm: CrmPort, listKey: string) {
    const accepted: AcceptedRow[] = [];
    const work = exportAndValidate({
      crm,
      rules: listRulesSchema.parse({ listKey, optInId: 11 }),
      accepted: { write: (a) => void accepted.push(a) },
      excluded: { write: () => undefined },
    });
    return { work, accepted };
  }

  it.each([
    ['PostgreSQL', postgresCrm],
    ['SQLite', async () => sqliteCrm()],
  ])('%s: refuses a respelled or repeated opt-out column before any row is used, and reads the exact one', async (_name, open) => {
    const crm = await open();
    try {
      for (const [listKey, message] of [
        ['respelled', '"Consent_Withdrawn" that reads as consent_withdrawn'],
        ['hyphenated', '"consent-withdrawn" that reads as consent_withdrawn'],
        ['twice', 'returns the column consent_withdrawn twice (fields 8 and 9)'],
      ] as const) {
        const { work, accepted } = await exportList(crm, listKey);
        await expect(work).rejects.toThrow(CrmSelectionAmbiguousError);
        await expect(work).rejects.toThrow(message);
        expect(accepted).toEqual([]);
      }
      const { work, accepted } = await exportList(crm, 'exact');
      await expect(work).resolves.toEqual(expect.objectContaining({ accepted: 1 }));
      expect(accepted.map((a) => a.recipient.email)).toEqual(['bob@example.com']);
    } finally {
      await crm.close();
    }
  });
});
