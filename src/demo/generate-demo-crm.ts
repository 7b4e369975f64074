import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DEMO_CAMPAIGNS, DEMO_LISTS, demoSelectionQuery } from './demo-lists';
import { writeAccount, writeContact, writeLead, type Insert } from './demo-entities';
import { DEMO_TABLE_COLUMNS, DEMO_TABLES, DEMO_VIEWS } from './demo-schema';

export interface GenerateDemoCrmInput {
  contacts: number;
  /** The SQLite file to write; replaced if it exists. */
  file: string;
  seed?: number;
}

export interface DemoCrmSummary {
  file: string;
  seed: number;
  rows: Record<string, number>;
  durationMs: number;
}

/** Writes a deterministic demo CRM: the same contacts and seed give a byte-identical file. */
export function generateDemoCrm(input: GenerateDemoCrmInput): DemoCrmSummary {
  const started = performance.now();
  const seed = input.seed ?? 1;
  if (existsSync(input.file)) rmSync(input.file);
  const db = new Database(input.file);
  // A fresh file that is either complete or discarded: no journal, no fsync.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  for (const ddl of [...DEMO_TABLES, ...DEMO_VIEWS]) db.exec(ddl);
  const rows: Record<string, number> = {};
  const statements = new Map(
    Object.entries(DEMO_TABLE_COLUMNS).map(([table, columns]) => [
      table,
      db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`),
    ]),
  );
  const insert: Insert = (table, values) => {
    statements.get(table)?.run(...values);
    rows[table] = (rows[table] ?? 0) + 1;
  };
  const contacts = Math.max(1, input.contacts);
  const accounts = Math.max(1, Math.floor(contacts / 20));
  const leads = Math.floor(contacts * 0.3);
  db.transaction(() => {
    for (const list of DEMO_LISTS) {
      insert('marketing_lists', [list.marketingListId, list.listKey, list.name, Number(list.optInId)]);
      insert('reports', [list.listKey, `${list.name} export`, demoSelectionQuery(list)]);
    }
    for (const c of DEMO_CAMPAIGNS) insert('campaigns', [c.id, c.name, c.mailingId]);
    for (let i = 0; i < accounts; i += 1) writeAccount(insert, seed, i, contacts);
    for (let i = 0; i < contacts; i += 1) writeContact(insert, seed, i, accounts);
    for (let i = 0; i < leads; i += 1) writeLead(insert, seed, i, contacts);
  })();
  db.close();
  return { file: input.file, seed, rows, durationMs: Math.round(performance.now() - started) };
}
