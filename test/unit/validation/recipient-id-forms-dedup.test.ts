import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import type { CrmPort, CrmRow } from '../../../src/crm/crm-port';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { dedupKey, recipientIdKey } from '../../../src/validation/recipient-id-key';
import { inMemoryCrm } from '../crm/in-memory-crm';

// An opaque recipient id (a CRM customer number) written in two Unicode forms of one text: composed
// and decomposed (`Müller-1` with ü or with u + U+0308, as macOS and some imports write it), in
// full-width or other compatibility forms (`ＭＵＬＬＥＲ１`), or with an invisible character inside
// (a zero-width space, a BOM, a bidi mark pasted with it). A person reads these as one id, and the
// opt-out of either already wins for the other (suppressionKey). Found: de-duplication compared them
// as different ids, so the person was sent twice (two recipients, one mailbox). Now they are one
// recipient: one row sent, the other excluded as `duplicate`; ids a person tells apart stay apart.

const BASES = ['M\u00fcller-1', 'Caf\u00e9 7', 'KUNDE-\u00c5ngstr\u00f6m', 'ID-42', '\u00c9lodie'];

type Form = 'as is' | 'nfd' | 'nfc' | 'full-width' | 'zero-width' | 'bom' | 'bidi' | 'upper';
const FORMS: readonly Form[] = ['as is', 'nfd', 'nfc', 'full-width', 'zero-width', 'bom', 'bidi', 'upper'];

function spelled(id: string, form: Form): string {
  switch (form) {
    case 'as is':
      return id;
    case 'nfd':
      return id.normalize('NFD');
    case 'nfc':
      return id.normalize('NFC');
    case 'full-width':
      return id.replace(/[!-~]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));
    case 'zero-width':
      return `${id.slice(0, 2)}\u200b${id.slice(2)}`;
    case 'bom':
      return `${id.slice(0, 1)}\ufeff${id.slice(1)}`;
    case 'bidi':
      return `\u200e${id}`;
    case 'upper':
      return id.toUpperCase();
  }
}

const ROWS = fc.array(
  fc.record({ person: fc.nat(BASES.length - 1), form: fc.constantFrom(...FORMS), optOut: fc.boolean(), entity: fc.nat(99) }),
  { minLength: 1, maxLength: 8 },
);

let dir: string;
let files = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-id-forms-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = ['recipient_id', 'email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id', 'unsubscribed'];

function sqlite(rows: readonly CrmRow[]): CrmPort {
  const file = join(dir, `crm-${++files}.db`);
  const db = new Database(file);
  db.exec(`CREATE TABLE people (${COLUMNS.join(', ')})`);
  const insert = db.prepare(`INSERT INTO people VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  for (const row of rows) insert.run(...COLUMNS.map((c) => row[c] as string | number));
  db.close();
  const config = crmConfigSchema.parse({
    kind: 'sqlite',
    file,
    lists: { members: { query: `SELECT ${COLUMNS.join(', ')} FROM people` } },
  }) as SqliteCrmConfig;
  return openSqliteCrm(config);
}

describe('an opaque recipient id in two forms of one text', () => {
  it('is sent at most once, whatever the adapter and row order; an opt-out in any form wins', async () => {
    await fc.assert(
      fc.asyncProperty(ROWS, fc.constantFrom('memory', 'sqlite'), async (drawn, adapter) => {
        const rows: CrmRow[] = drawn.map(({ person, form, optOut, entity }, i) => ({
          recipient_id: spelled(BASES[person] as string, form),
          // One mailbox per person: the same person twice would be mailed twice.
          email: `person${person}@example.com`,
          opt_in_id: '11',
          description: 'd',
          media_type: 'email',
          entity_type: 'contact',
          entity_id: `E${entity}-${i}`,
          unsubscribed: optOut ? 1 : 0,
        }));
        const accepted: AcceptedRow[] = [];
        const excluded: Exclusion[] = [];
        const crm = adapter === 'memory' ? inMemoryCrm({ members: rows }) : sqlite(rows);
        const counts = await exportAndValidate({
          crm,
          rules: listRulesSchema.parse({ listKey: 'members', optInId: '11', recipientIdKind: 'opaque' }),
          accepted: { write: (a) => void accepted.push(a) },
          excluded: { write: (e) => void excluded.push(e) },
        });
        await crm.close();
        expect(counts.rowsRead).toBe(accepted.length + excluded.length);
        const sentPeople = accepted.map((a) => a.recipient.email);
        expect(new Set(sentPeople).size).toBe(sentPeople.length);
        for (const [person] of BASES.entries()) {
          const own = drawn.filter((d) => d.person === person);
          const sent = sentPeople.includes(`person${person}@example.com`);
          if (own.some((d) => d.optOut)) expect({ person, sent }).toEqual({ person, sent: false });
          else if (own.length > 0) expect({ person, sent }).toEqual({ person, sent: true });
        }
        for (const e of excluded) expect(['duplicate', 'unsubscribed']).toContain(e.reason);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps ids a person tells apart apart, and is never finer than the case-insensitive key', () => {
    expect(dedupKey('ID-42')).not.toBe(dedupKey('ID-43'));
    expect(dedupKey('strasse')).not.toBe(dedupKey('straße'));
    expect(dedupKey('\u212b')).toBe(dedupKey('\u00e5'));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.array(fc.boolean(), { maxLength: 24 }), (id, flips) => {
        const variant = [...id].map((ch, i) => ((flips[i] ?? false) ? ch.toUpperCase() : ch.toLowerCase())).join('');
        if (recipientIdKey(variant) === recipientIdKey(id)) expect(dedupKey(variant)).toBe(dedupKey(id));
      }),
      { numRuns: 500 },
    );
  });
});
