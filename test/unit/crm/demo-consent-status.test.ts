import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { crmConfigSchema, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { readDemoCrm } from '../../../src/demo/demo-crm-data';
import { DEMO_ATTRIBUTES, DEMO_LISTS, demoCrmLists } from '../../../src/demo/demo-lists';
import { expectedRecipients } from '../../../src/demo/expected-recipients';
import { generateDemoCrm } from '../../../src/demo/generate-demo-crm';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';

// The demo CRM's selections (the shipped configuration's) over consent statuses and bounce flags of
// any spelling (docs/crm.md, "The demo CRM"): the schema's words are `granted` and `withdrawn`, and a
// bounce is soft when `hard` is 0. A status that is not exactly `granted` (`no`, `pending`, `0`,
// `yes`, `''`, `Granted `, full-width or look-alike letters) is never consent, and a bounce row that
// does not say soft suppresses. Against an oracle reading the tables directly: nobody is sent without
// a status of exactly `granted` for the list's consent and medium, or with a bounce row whose `hard`
// is not 0; every row is accounted for; and the export equals `expectedRecipients` (kept in step).

const STATUSES = [
  'granted',
  'withdrawn',
  'Granted',
  'GRANTED',
  ' granted',
  'granted ',
  'pending',
  'no',
  'n',
  '0',
  '1',
  'yes',
  'Y',
  'true',
  '',
  'ｇｒａｎｔｅｄ',
  'grant\u0435d',
  'granted\u200b',
];
const HARD: readonly unknown[] = [0, 1, 2, -1, 0.5, '0', '1', 'no', 'yes', '', 'soft'];

const edits = fc.record({
  statuses: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...STATUSES)), { maxLength: 30 }),
  bounces: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...HARD)), { maxLength: 10 }),
});

let dir: string;
let template: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-demo-status-'));
  template = join(dir, 'template.db');
  generateDemoCrm({ contacts: 60, file: template, seed: 5 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo selections over consent statuses and bounce flags of any spelling', () => {
  it('send nobody without a status of exactly granted or with a bounce that does not say soft', async () => {
    await fc.assert(
      fc.asyncProperty(edits, fc.constantFrom(...DEMO_LISTS), async ({ statuses, bounces }, list) => {
        const file = join(dir, `crm-${++n}.db`);
        copyFileSync(template, file);
        const db = new Database(file);
        try {
          const consentIds = db.prepare('SELECT rowid FROM consents ORDER BY rowid').pluck().all() as number[];
          for (const [i, status] of statuses)
            db.prepare('UPDATE consents SET status = ? WHERE rowid = ?').run(status, consentIds[i % consentIds.length]);
          const members = db.prepare('SELECT entity_type, entity_id FROM marketing_list_members ORDER BY rowid').raw().all() as string[][];
          for (const [i, hard] of bounces) {
            const [entityType, entityId] = members[i % members.length]!;
            db.prepare("INSERT OR REPLACE INTO bounces VALUES (?, ?, ?, '2026-01-01T00:00:00Z')").run(entityType, entityId, hard);
          }

          const crm = openSqliteCrm(crmConfigSchema.parse({ kind: 'sqlite', file, lists: demoCrmLists() }) as SqliteCrmConfig);
          const accepted: AcceptedRow[] = [];
          const excluded: Exclusion[] = [];
          let rowsRead = 0;
          try {
            rowsRead = (
              await exportAndValidate({
                crm,
                rules: listRulesSchema.parse({ listKey: list.listKey, optInId: list.optInId, attributes: DEMO_ATTRIBUTES }),
                accepted: { write: (a) => void accepted.push(a) },
                excluded: { write: (e) => void excluded.push(e) },
              })
            ).rowsRead;
          } finally {
            await crm.close();
          }
          expect(accepted.length + excluded.length).toBe(rowsRead);

          // The oracle reads the tables as stored: the status's exact text, the bounce flag's storage class.
          const status = db.prepare(
            "SELECT status FROM consents WHERE entity_type = ? AND entity_id = ? AND opt_in_id = ? AND media_type = 'email'",
          );
          const hardBounce = db.prepare(
            "SELECT count(*) FROM bounces WHERE entity_type = ? AND entity_id = ? AND NOT (typeof(hard) IN ('integer', 'real') AND hard = 0)",
          );
          const wrong = accepted.flatMap(({ recipient: r }) => {
            const stated = status.pluck().get(r.entityType, r.entityId, Number(list.optInId));
            const bounced = hardBounce.pluck().get(r.entityType, r.entityId) as number;
            return stated === 'granted' && bounced === 0 ? [] : [{ entity: `${r.entityType}/${r.entityId}`, stated, bounced }];
          });
          expect(wrong).toEqual([]);

          const got = accepted.map((a) => `${a.recipient.recipientId} ${a.recipient.entityType} ${a.recipient.entityId}`);
          const want = expectedRecipients(readDemoCrm(file), list).map((r) => `${r.recipientId} ${r.entityType} ${r.entityId}`);
          expect(got).toEqual(want);
        } finally {
          db.close();
          rmSync(file, { force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
