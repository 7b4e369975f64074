import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Pool } from 'pg';
import { crmConfigSchema, type PostgresCrmConfig, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import type { CrmPort } from '../../../src/crm/crm-port';
import { openPostgresCrm } from '../../../src/crm/sql/postgres-crm';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { createStateStore, type StateStore } from '../../../src/store';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';

// A consent time without zone from a real CRM: a PostgreSQL `timestamp without time zone` column
// (pg built a Date from it in the worker's time zone) and a naive SQLite text. Whatever zone the
// worker runs in, the export decides the same, and it lifts an unsubscribe only when the consent's
// earliest possible instant (its fields read as UTC, less 14 h) lies in a later second; one within
// the span is excluded as resubscribe_zone_unknown. Expected values from the model below.

const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-31T00:00:00.000Z');
const UNSUBSCRIBED_AT = Date.parse('2026-03-10T12:00:00.000Z');
const ZONES = ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kathmandu'];
const SELECTION = `SELECT recipient_id, recipient_id AS email, '11' AS opt_in_id, '' AS description, 'email' AS media_type,
  'contact' AS entity_type, entity_id, consent AS consent_granted_at FROM people ORDER BY entity_id`;

/** What the export must decide for a consent written `minutes` after the unsubscribe, as UTC fields, without zone. */
function expectedReason(minutes: number, allow: boolean): string {
  const asUtc = UNSUBSCRIBED_AT + minutes * 60_000;
  const [earliest, latest] = [asUtc - 14 * HOUR, Math.min(asUtc + 14 * HOUR, NOW)];
  const second = (ms: number) => Math.floor(ms / 1000);
  if (earliest > NOW || second(latest) <= second(UNSUBSCRIBED_AT)) return 'unsubscribed';
  if (second(earliest) <= second(UNSUBSCRIBED_AT)) return 'resubscribe_zone_unknown';
  return allow ? 'sent' : 'resubscribe_needs_optin';
}

const naiveText = (minutes: number) => new Date(UNSUBSCRIBED_AT + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');

describe('a consent time without zone from a real CRM, whatever the worker’s time zone', () => {
  let server: TestPostgres;
  let store: StateStore;
  const dir = mkdtempSync(join(tmpdir(), 'naive-consent-'));
  let run = 0;
  beforeAll(async () => {
    server = await startTestPostgres();
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    await store.suppressions.record(
      Array.from({ length: 40 }, (_, i) => ({
        client: 'demo',
        kind: 'unsubscribe' as const,
        recipientKey: `p${i}@example.com`,
        listId: 0,
        occurredAt: new Date(UNSUBSCRIBED_AT).toISOString(),
        source: 'closed_loop' as const,
      })),
    );
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One row per consent offset (minutes after the unsubscribe, as UTC fields), person p<i>. */
  async function postgresCrm(offsets: readonly number[]): Promise<CrmPort> {
    const url = await createTestDatabase(server.url);
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await pool.query('CREATE TABLE people (recipient_id text, entity_id text, consent timestamp without time zone)');
      for (const [i, minutes] of offsets.entries())
        await pool.query('INSERT INTO people VALUES ($1, $2, $3)', [
          `p${i}@example.com`,
          `C${String(i).padStart(3, '0')}`,
          naiveText(minutes),
        ]);
    } finally {
      await pool.end();
    }
    const config = crmConfigSchema.parse({ kind: 'postgres', url, lists: { newsletter: { query: SELECTION } } }) as PostgresCrmConfig;
    return openPostgresCrm(config, url);
  }

  function sqliteCrm(offsets: readonly number[]): CrmPort {
    const file = join(dir, `crm-${++run}.db`);
    const db = new Database(file);
    db.exec('CREATE TABLE people (recipient_id TEXT, entity_id TEXT, consent TEXT)');
    const insert = db.prepare('INSERT INTO people VALUES (?, ?, ?)');
    for (const [i, minutes] of offsets.entries()) insert.run(`p${i}@example.com`, `C${String(i).padStart(3, '0')}`, naiveText(minutes));
    db.close();
    const config = crmConfigSchema.parse({ kind: 'sqlite', file, lists: { newsletter: { query: SELECTION } } }) as SqliteCrmConfig;
    return openSqliteCrm(config);
  }

  /** The export's decision per person: `sent` or the exclusion reason. */
  async function decisions(crm: CrmPort, count: number, allow: boolean): Promise<string[]> {
    const runId = `run-${++run}`;
    const summary = await exportToSnapshot({
      client: 'demo',
      runId,
      store,
      crm,
      rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11 }),
      list: { listId: 7, allowResubscribe: allow },
      now: () => new Date(NOW),
    });
    const reasons = new Map<number, string>();
    for await (const entry of store.ledger.stream(runId)) if (entry.outcome === 'excluded') reasons.set(entry.rowNumber, entry.reason);
    expect(summary.count + reasons.size).toBe(count);
    return Array.from({ length: count }, (_, i) => reasons.get(i + 1) ?? 'sent');
  }

  it('decides by the consent time’s possible instants, on PostgreSQL and SQLite alike', async () => {
    const zoneBefore = process.env.TZ;
    try {
      await fc.assert(
        fc.asyncProperty(
          // Minutes from the unsubscribe, mostly within a day and a half either side of it.
          fc.array(fc.integer({ min: -36 * 60, max: 36 * 60 }), { minLength: 1, maxLength: 40 }),
          fc.constantFrom(...ZONES),
          fc.boolean(),
          async (offsets, zone, allow) => {
            process.env.TZ = zone;
            const expected = offsets.map((m) => expectedReason(m, allow));
            for (const open of [postgresCrm, sqliteCrm]) {
              const crm = await open(offsets);
              try {
                expect([zone, open.name, await decisions(crm, offsets.length, allow)]).toEqual([zone, open.name, expected]);
              } finally {
                await crm.close();
              }
            }
          },
        ),
        { numRuns: 12 },
      );
    } finally {
      if (zoneBefore === undefined) delete process.env.TZ;
      else process.env.TZ = zoneBefore;
    }
  });

  it('reads a PostgreSQL date alone as no consent time, in any worker zone', async () => {
    const zoneBefore = process.env.TZ;
    const url = await createTestDatabase(server.url);
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await pool.query('CREATE TABLE people (recipient_id text, entity_id text, consent date, joined timestamp without time zone)');
      // Days after the unsubscribe: as a Date at the worker's midnight it would have read as a re-grant.
      await pool.query("INSERT INTO people VALUES ('p0@example.com', 'C000', '2026-03-20', '2026-03-20 10:00:00')");
      const query = SELECTION.replace('consent AS consent_granted_at', 'consent AS consent_granted_at, joined');
      const config = crmConfigSchema.parse({ kind: 'postgres', url, lists: { newsletter: { query } } }) as PostgresCrmConfig;
      for (const zone of ZONES) {
        process.env.TZ = zone;
        const crm = openPostgresCrm(config, url);
        try {
          expect([zone, await decisions(crm, 1, true)]).toEqual([zone, ['unsubscribed']]);
          // Another column without zone is its text too, never an instant (docs/crm.md, "Dates and times from PostgreSQL").
          const [row] = await rowsOf(crm);
          expect(row?.['joined']).toBe('2026-03-20 10:00:00');
          expect(row?.['consent_granted_at']).toBe('2026-03-20');
        } finally {
          await crm.close();
        }
      }
    } finally {
      await pool.end();
      if (zoneBefore === undefined) delete process.env.TZ;
      else process.env.TZ = zoneBefore;
    }
  });
});

async function rowsOf(crm: CrmPort): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of crm.exportSelection('newsletter')) rows.push({ ...row });
  return rows;
}
