import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { crmConfigSchema, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { CrmSelectionColumnsError } from '../../../src/errors/crm-selection-columns-error';
import { checkSelectionColumns } from '../../../src/sync/preflight/check-selection-columns';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';

// A list maps CRM columns by name, and the configuration is outside input: a column may be named like
// a member every JavaScript object inherits (`constructor`, `toString`, `valueOf`). A selection that
// does not return such a column must be refused by the column check (preflight and export alike),
// naming it; a selection that does return it must send its value. Before, `column in row` found the
// inherited member, the check passed, and every row was excluded as `unreadable_value` (a function
// has no text form), after `campaign-sync check` had said the selection was fine.

// `__proto__` is not among them: the configuration's record parsing drops such a key.
const INHERITED = Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__');
const ORDINARY = ['city', 'score', 'first_name'];

const aMapping = fc.uniqueArray(fc.constantFrom(...INHERITED, ...ORDINARY), { minLength: 1, maxLength: 4 }).chain((columns) =>
  fc.record({
    columns: fc.constant(columns),
    returned: fc.subarray(columns),
    values: fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), {
      minLength: columns.length,
      maxLength: columns.length,
    }),
  }),
);

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

function crmWith(dir: string, returned: readonly string[], values: readonly string[], columns: readonly string[]): SqliteCrmConfig {
  const file = join(dir, `crm-${Math.random().toString(36).slice(2)}.db`);
  const db = new Database(file);
  const extra = returned.map((c) => `, ${quoted(c)} TEXT`).join('');
  db.exec(
    `CREATE TABLE people (recipient_id TEXT, email TEXT, opt_in_id TEXT, description TEXT, media_type TEXT, entity_type TEXT, entity_id TEXT${extra})`,
  );
  const cells = ['anna@example.com', 'anna@example.com', '11', 'Newsletter', 'email', 'contact', 'C1'];
  const placeholders = [...cells, ...returned].map(() => '?').join(', ');
  db.prepare(`INSERT INTO people VALUES (${placeholders})`).run(...cells, ...returned.map((c) => values[columns.indexOf(c)]));
  db.close();
  const attributes = Object.fromEntries(columns.map((c, i) => [c, `field${i}`]));
  return crmConfigSchema.parse({
    kind: 'sqlite',
    file,
    lists: { newsletter: { query: 'SELECT * FROM people', attributes } },
  }) as SqliteCrmConfig;
}

describe('CRM columns are looked up among the row’s own columns', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'crm-own-columns-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a selection lacking a mapped column named like an inherited member, and sends one it returns', async () => {
    await fc.assert(
      fc.asyncProperty(aMapping, async ({ columns, returned, values }) => {
        const config = crmWith(dir, returned, values, columns);
        const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes: config.lists['newsletter']!.attributes });
        const crm = openSqliteCrm(config);
        try {
          const missing = columns.filter((c) => !returned.includes(c));
          const preflight = await checkSelectionColumns(crm, rules);
          const accepted: AcceptedRow[] = [];
          const excluded: Exclusion[] = [];
          const exported = exportAndValidate({
            crm,
            rules,
            accepted: { write: (a) => void accepted.push(a) },
            excluded: { write: (e) => void excluded.push(e) },
          });
          if (missing.length > 0) {
            expect(preflight.problems).toEqual([expect.stringContaining(`lacks the columns ${missing.join(', ')}`)]);
            await expect(exported).rejects.toBeInstanceOf(CrmSelectionColumnsError);
            await expect(exported).rejects.toMatchObject({ missingColumns: missing });
          } else {
            expect(preflight).toEqual({ problems: [], checked: true });
            await exported;
            expect(excluded).toEqual([]);
            expect(accepted).toHaveLength(1);
            columns.forEach((c, i) => expect(accepted[0]!.recipient.attributes[`field${i}`]).toBe(values[i]));
          }
        } finally {
          await crm.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
