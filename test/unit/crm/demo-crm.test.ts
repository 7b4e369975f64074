import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateDemoCrm } from '../../../src/demo/generate-demo-crm';
import { normaliseEmail } from '../../../src/validation/email-rule';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('generateDemoCrm', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', () => {
    const [a, b, c] = ['a.db', 'b.db', 'c.db'].map((f) => join(dir, f)) as [string, string, string];
    generateDemoCrm({ contacts: 500, file: a, seed: 9 });
    generateDemoCrm({ contacts: 500, file: b, seed: 9 });
    generateDemoCrm({ contacts: 500, file: c, seed: 10 });
    expect(sha(a)).toBe(sha(b));
    expect(sha(a)).not.toBe(sha(c));
  });

  it('contains the awkward cases real CRMs have', () => {
    const file = join(dir, 'awkward.db');
    const summary = generateDemoCrm({ contacts: 2000, file, seed: 1 });
    expect(summary.rows).toMatchObject({ contacts: 2000, leads: 600, accounts: 100 });
    const db = new Database(file, { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const emails = (table: string) => db.prepare(`SELECT email FROM ${table}`).pluck().all() as string[];
    try {
      const contactAddresses = new Set(emails('contacts').map((e) => e.trim().toLowerCase()));
      expect(emails('leads').filter((e) => e !== '' && contactAddresses.has(e.trim().toLowerCase())).length).toBeGreaterThan(50);
      const all = [...emails('contacts'), ...emails('leads'), ...emails('accounts')];
      expect(all.filter((e) => normaliseEmail(e, { lowercaseLocalPart: true }) === undefined).length).toBeGreaterThan(20);
      expect(all.filter((e) => e !== e.toLowerCase()).length).toBeGreaterThan(50);
      expect(all.filter((e) => e !== e.trim()).length).toBeGreaterThan(5);
      expect(count("SELECT COUNT(*) AS n FROM contacts WHERE first_name GLOB '*[^ -~]*' OR last_name GLOB '*[^ -~]*'")).toBeGreaterThan(
        100,
      );
      expect(count("SELECT COUNT(*) AS n FROM consents WHERE status = 'withdrawn'")).toBeGreaterThan(50);
      expect(count('SELECT COUNT(*) AS n FROM bounces WHERE hard = 1')).toBeGreaterThan(20);
      // Members of the newsletter list (opt-in 11) whose e-mail consent is only for offers (12).
      expect(
        count(`SELECT COUNT(*) AS n FROM marketing_list_members m WHERE m.list_id = 1
        AND EXISTS (SELECT 1 FROM consents c WHERE c.entity_type = m.entity_type AND c.entity_id = m.entity_id AND c.opt_in_id = 12)
        AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.entity_type = m.entity_type AND c.entity_id = m.entity_id AND c.opt_in_id = 11)`),
      ).toBeGreaterThan(50);
      expect(db.prepare('SELECT list_key, opt_in_id FROM marketing_lists ORDER BY id').all()).toEqual([
        { list_key: 'newsletter', opt_in_id: 11 },
        { list_key: 'offers', opt_in_id: 12 },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('npm run demo:crm', () => {
  it('writes the CRM file named by --out and prints its summary', () => {
    const file = join(dir, 'cli.db');
    const out = execFileSync('npx', ['tsx', 'src/demo/demo-crm-cli.ts', '--contacts', '50', '--out', file, '--seed', '4'], {
      cwd: join(__dirname, '../../..'),
    });
    expect(JSON.parse(out.toString())).toMatchObject({ file, seed: 4, rows: { contacts: 50 } });
    generateDemoCrm({ contacts: 50, file: join(dir, 'api.db'), seed: 4 });
    expect(sha(file)).toBe(sha(join(dir, 'api.db')));
  });
});
