import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { crmConfigSchema, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';

// A CRM keyed by 64-bit integers (INTEGER columns in SQLite): read as JavaScript numbers, ids past
// 2^53 were rounded, so two entities could leave the export under one entity id (and an opt-out of
// one would be written to the other), two opaque recipient ids merged into one (one excluded as a
// duplicate), and a campaign id of a mailing named another campaign. Whatever the integers, each
// travels with its exact digits.

const anId = fc.oneof(
  fc.bigInt({ min: 2n ** 53n - 2n, max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
  fc.bigInt({ min: 0n, max: 1000n }),
);

describe('the SQLite CRM reads INTEGER values exactly', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'crm-big-ints-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function crmFile(ids: readonly bigint[]): SqliteCrmConfig {
    const file = join(dir, `crm-${++n}.db`);
    const db = new Database(file);
    db.exec(`CREATE TABLE people (recipient_id INTEGER, email TEXT, opt_in_id INTEGER, media_type TEXT, entity_type TEXT,
      entity_id INTEGER, description TEXT, score INTEGER);
      CREATE TABLE mailings (mailing_id TEXT, campaign_id INTEGER);`);
    const insert = db.prepare("INSERT INTO people VALUES (?, ?, 11, 'email', 'contact', ?, '', ?)");
    ids.forEach((id, i) => insert.run(id, `p${i}@example.com`, id, id));
    db.prepare('INSERT INTO mailings VALUES (?, ?)').run('m1', ids[0]);
    db.close();
    return crmConfigSchema.parse({
      kind: 'sqlite',
      file,
      lists: { members: { query: 'SELECT * FROM people', attributes: { score: 'score' } } },
      statements: { campaignForMailing: 'SELECT campaign_id FROM mailings WHERE mailing_id = :mailingId' },
    }) as SqliteCrmConfig;
  }

  it('sends every id, entity id and attribute with its exact digits, and names the exact campaign', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anId, { minLength: 1, maxLength: 6 }), async (ids) => {
        const crm = openSqliteCrm(crmFile(ids));
        try {
          const accepted: AcceptedRow[] = [];
          const excluded: Exclusion[] = [];
          await exportAndValidate({
            crm,
            rules: listRulesSchema.parse({ listKey: 'members', optInId: 11, recipientIdKind: 'opaque', attributes: { score: 'score' } }),
            accepted: { write: (a) => void accepted.push(a) },
            excluded: { write: (e) => void excluded.push(e) },
          });
          expect(excluded).toEqual([]);
          const sent = accepted.map((a) => [a.recipient.recipientId, a.recipient.entityId, a.recipient.attributes['score']]);
          expect(sent.sort()).toEqual(ids.map((id) => [String(id), String(id), String(id)]).sort());
          expect(await crm.campaignForMailing('m1')).toBe(String(ids[0]));
        } finally {
          await crm.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
