import fc from 'fast-check';
import { Pool } from 'pg';
import { crmConfigSchema, type PostgresCrmConfig } from '../../../src/crm/crm-config';
import { openPostgresCrm } from '../../../src/crm/sql/postgres-crm';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';

// Dates and times from a real PostgreSQL CRM (docs/crm.md, "Dates and times from PostgreSQL"), in any
// worker time zone and under any DateStyle the database or role sets:
// - a `timestamp without time zone` or `date` attribute travels as PostgreSQL writes it in ISO style
//   (`2026-03-01 10:00:00`, `2026-03-01`), the same on every worker (pg built a Date in the worker's
//   zone from it: `…T09:00:00.000Z` in Berlin, and a birthday on the day before);
// - a `timestamp with time zone` attribute is its instant in UTC;
// - an opt-out column holding a date or time is set, whatever its type and the DateStyle (pg read
//   every date and time written in another DateStyle as null, "not set", and sent the person).

const ZONES = ['UTC', 'Europe/Berlin', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Kathmandu'];
const DATE_STYLES = ['ISO, MDY', 'ISO, DMY', 'SQL, DMY', 'SQL, MDY', 'German', 'Postgres, MDY'];
const OPT_OUT_TYPES = ['timestamp without time zone', 'timestamp with time zone', 'date'] as const;
const SELECTION = `SELECT recipient_id, recipient_id AS email, '11' AS opt_in_id, '' AS description, 'email' AS media_type,
  'contact' AS entity_type, entity_id, joined, birthday, seen, withdrawn AS consent_withdrawn FROM people ORDER BY entity_id`;
const ATTRIBUTES = { joined: 'joined', birthday: 'birthday', seen: 'seen' };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A wall-clock time as PostgreSQL's ISO style writes a `timestamp without time zone` (whole seconds). */
const wallClock = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
  })
  .map((t) => ({ date: `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`, time: `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}` }));

const person = fc.record({
  joined: fc.oneof({ weight: 5, arbitrary: wallClock.map((t) => `${t.date} ${t.time}`) }, fc.constantFrom('infinity', '-infinity')),
  birthday: wallClock.map((t) => t.date),
  seen: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms - (ms % 1000)).toISOString()),
  withdrawn: fc.option(wallClock, { nil: undefined }),
});

describe('dates and times from a real PostgreSQL CRM', () => {
  let server: TestPostgres;
  let url: string;
  let pool: Pool;
  beforeAll(async () => {
    server = await startTestPostgres();
    url = await createTestDatabase(server.url);
    pool = new Pool({ connectionString: url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  async function exportPeople(): Promise<{ accepted: AcceptedRow[]; excluded: Exclusion[] }> {
    const config = crmConfigSchema.parse({
      kind: 'postgres',
      url,
      chunkSize: 3,
      lists: { newsletter: { query: SELECTION, attributes: ATTRIBUTES } },
    }) as PostgresCrmConfig;
    const crm = openPostgresCrm(config, url);
    const accepted: AcceptedRow[] = [];
    const excluded: Exclusion[] = [];
    try {
      await exportAndValidate({
        crm,
        rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes: ATTRIBUTES }),
        accepted: { write: (a) => void accepted.push(a) },
        excluded: { write: (e) => void excluded.push(e) },
      });
    } finally {
      await crm.close();
    }
    return { accepted, excluded };
  }

  it('sends wall-clock values as written and never loses an opt-out, in any worker zone and DateStyle', async () => {
    const zoneBefore = process.env.TZ;
    const database = new URL(url).pathname.slice(1);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(person, { minLength: 1, maxLength: 8 }),
          fc.constantFrom(...OPT_OUT_TYPES),
          fc.constantFrom(...DATE_STYLES),
          fc.constantFrom(...ZONES),
          async (people, optOutType, dateStyle, zone) => {
            await pool.query('DROP TABLE IF EXISTS people');
            await pool.query(
              `CREATE TABLE people (recipient_id text, entity_id text, joined timestamp, birthday date, seen timestamptz, withdrawn ${optOutType})`,
            );
            for (const [i, p] of people.entries()) {
              const withdrawn = p.withdrawn && (optOutType === 'date' ? p.withdrawn.date : `${p.withdrawn.date} ${p.withdrawn.time}`);
              await pool.query('INSERT INTO people VALUES ($1, $2, $3, $4, $5, $6)', [
                `p${i}@example.com`,
                `C${pad(i, 3)}`,
                p.joined,
                p.birthday,
                p.seen,
                withdrawn ? (optOutType === 'timestamp with time zone' ? `${withdrawn}+00` : withdrawn) : null,
              ]);
            }
            // Every new connection of the CRM's pool gets this DateStyle, as a DBA's setting would give it.
            await pool.query(`ALTER DATABASE ${database} SET DateStyle = '${dateStyle}'`);
            process.env.TZ = zone;
            const { accepted, excluded } = await exportPeople();

            const context = { zone, dateStyle, optOutType };
            expect({ ...context, excluded: excluded.map((e) => [e.rowNumber, e.reason, e.field]) }).toEqual({
              ...context,
              excluded: people.flatMap((p, i) => (p.withdrawn ? [[i + 1, 'consent_withdrawn', 'consent_withdrawn']] : [])),
            });
            expect({ ...context, accepted: accepted.map((a) => [a.rowNumber, a.recipient.attributes]) }).toEqual({
              ...context,
              accepted: people.flatMap((p, i) =>
                p.withdrawn ? [] : [[i + 1, { joined: p.joined, birthday: p.birthday, seen: new Date(p.seen).toISOString() }]],
              ),
            });
          },
        ),
        { numRuns: 15 },
      );
    } finally {
      await pool.query(`ALTER DATABASE ${database} RESET DateStyle`);
      if (zoneBefore === undefined) delete process.env.TZ;
      else process.env.TZ = zoneBefore;
    }
  });

  it.each(OPT_OUT_TYPES)('excludes a row whose %s withdrawal the database writes in DateStyle German', async (optOutType) => {
    const database = new URL(url).pathname.slice(1);
    await pool.query('DROP TABLE IF EXISTS people');
    await pool.query(
      `CREATE TABLE people (recipient_id text, entity_id text, joined timestamp, birthday date, seen timestamptz, withdrawn ${optOutType})`,
    );
    await pool.query("INSERT INTO people VALUES ('p0@example.com', 'C000', NULL, NULL, NULL, '2026-03-01 10:00:00')");
    await pool.query(`ALTER DATABASE ${database} SET DateStyle = 'German'`);
    try {
      const { accepted, excluded } = await exportPeople();
      expect(accepted).toEqual([]);
      expect(excluded).toEqual([expect.objectContaining({ rowNumber: 1, reason: 'consent_withdrawn' })]);
    } finally {
      await pool.query(`ALTER DATABASE ${database} RESET DateStyle`);
    }
  });

  it('leaves the pool’s other statements the database’s DateStyle', async () => {
    const database = new URL(url).pathname.slice(1);
    await pool.query(`ALTER DATABASE ${database} SET DateStyle = 'German'`);
    try {
      await pool.query('DROP TABLE IF EXISTS people');
      await pool.query(
        'CREATE TABLE people (recipient_id text, entity_id text, joined timestamp, birthday date, seen timestamptz, withdrawn date)',
      );
      await pool.query(
        "INSERT INTO people VALUES ('p0@example.com', 'C000', '2026-03-01 10:00:00', '2026-03-01', '2026-03-01T10:00:00Z', NULL)",
      );
      const config = crmConfigSchema.parse({
        kind: 'postgres',
        url,
        lists: { newsletter: { query: SELECTION, attributes: ATTRIBUTES } },
        statements: { campaignForMailing: "SELECT current_setting('DateStyle') AS campaign_id WHERE :mailingId::text IS NOT NULL" },
      }) as PostgresCrmConfig;
      const crm = openPostgresCrm(config, url);
      try {
        const rows: unknown[] = [];
        for await (const row of crm.exportSelection('newsletter')) rows.push(row);
        expect(rows).toEqual([expect.objectContaining({ joined: '2026-03-01 10:00:00', birthday: '2026-03-01' })]);
        expect(await crm.campaignForMailing('1')).toBe('German, DMY');
      } finally {
        await crm.close();
      }
    } finally {
      await pool.query(`ALTER DATABASE ${database} RESET DateStyle`);
    }
  });
});
