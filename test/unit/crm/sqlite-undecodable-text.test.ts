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

// A SQLite CRM whose TEXT columns hold bytes that are not UTF-8 (a Latin-1 import: SQLite stores TEXT
// as given and checks nothing). better-sqlite3 decodes them silently with U+FFFD for each byte it
// cannot read, so `Müller` and `Möller` in Latin-1 both read `M\uFFFDller`: two opaque recipient ids
// merged (one left out as a duplicate), and an entity id sent that the CRM does not hold (its
// feedback would reach no entity). Whatever the bytes (docs/crm.md, "Row validation"):
// - every row is sent or excluded;
// - a recipient id and an entity id sent each find exactly their own row in the CRM again;
// - a row whose ids are UTF-8 is sent; one whose ids lost a byte (or hold U+FFFD) is excluded as `unreadable_value`.

const BYTES = [0x41, 0x42, 0x4d, 0x6c, 0x65, 0x72, 0x31, 0xe4, 0xf6, 0xfc, 0xdf, 0xc3, 0xa9, 0xb6, 0xef, 0xbf, 0xbd];
const anId = fc.array(fc.constantFrom(...BYTES), { minLength: 1, maxLength: 6 }).map((bytes) => Buffer.from([0x43, ...bytes]));
/** Whether the bytes read as text without loss: UTF-8, and not U+FFFD itself (which marks a loss wherever it stands). */
const readsWhole = (bytes: Buffer): boolean => {
  try {
    return !new TextDecoder('utf-8', { fatal: true }).decode(bytes).includes('\uFFFD');
  } catch {
    return false;
  }
};

describe('the SQLite CRM over TEXT that is not UTF-8', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'crm-undecodable-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never merges two ids nor sends one the CRM does not hold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anId, { minLength: 1, maxLength: 8, selector: (id) => id.toString('hex') }), async (ids) => {
        const file = join(dir, `crm-${++n}.db`);
        const db = new Database(file);
        db.exec(`CREATE TABLE people (n INTEGER, recipient_id TEXT, email TEXT, opt_in_id TEXT, media_type TEXT, entity_type TEXT,
          entity_id TEXT, description TEXT)`);
        const insert = db.prepare("INSERT INTO people VALUES (?, CAST(? AS TEXT), ?, '11', 'email', 'contact', CAST(? AS TEXT), '')");
        ids.forEach((id, i) => insert.run(i, id, `p${i}@example.com`, id));
        const config = crmConfigSchema.parse({
          kind: 'sqlite',
          file,
          lists: { members: { query: 'SELECT * FROM people ORDER BY n' } },
        }) as SqliteCrmConfig;
        const crm = openSqliteCrm(config);
        const accepted: AcceptedRow[] = [];
        const excluded: Exclusion[] = [];
        try {
          await exportAndValidate({
            crm,
            rules: listRulesSchema.parse({ listKey: 'members', optInId: '11', recipientIdKind: 'opaque' }),
            accepted: { write: (a) => void accepted.push(a) },
            excluded: { write: (e) => void excluded.push(e) },
          });
          const rowsOf = (column: string, value: string) =>
            (db.prepare(`SELECT n FROM people WHERE ${column} = ?`).all(value) as { n: number }[]).map((r) => r.n);
          const found = accepted.map((a) => ({
            row: a.rowNumber - 1,
            byRecipientId: rowsOf('recipient_id', a.recipient.recipientId),
            byEntityId: rowsOf('entity_id', a.recipient.entityId),
          }));
          expect(found).toEqual(found.map(({ row }) => ({ row, byRecipientId: [row], byEntityId: [row] })));
          expect(accepted.map((a) => a.rowNumber - 1).sort()).toEqual(ids.flatMap((id, i) => (readsWhole(id) ? [i] : [])).sort());
          expect(excluded.map((e) => [e.rowNumber - 1, e.reason, e.field])).toEqual(
            ids.flatMap((id, i) => (readsWhole(id) ? [] : [[i, 'unreadable_value', 'recipient_id']])),
          );
        } finally {
          await crm.close();
          db.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
