import fc from 'fast-check';
import { Pool } from 'pg';
import { crmConfigSchema, type PostgresCrmConfig } from '../../../src/crm/crm-config';
import { openPostgresCrm } from '../../../src/crm/sql/postgres-crm';
import { CrmSelectionAmbiguousError } from '../../../src/errors/crm-selection-ambiguous-error';
import { exportAndValidate, type AcceptedRow, type ExportCounts } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';
import type { Exclusion } from '../../../src/validation/recipient';
import { suppressionKey, suppressionLookup, type SuppressionLookup } from '../../../src/validation/suppressions';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../../helpers/postgres';

// The consent, column-name and identity classes of the SQLite/CSV properties, through a real
// PostgreSQL CRM, where the same hostile inputs arrive in PostgreSQL's own shapes: opt-out columns
// typed boolean, text, char(n), integers, numeric, double, timestamps, date, jsonb and bit, holding
// NULL, false, 'no', '', 'yes' and odd values; column names as PostgreSQL reports them (a quoted
// alias keeps its case, dashes and look-alike letters, an unquoted one folds to lower case); ids in
// two Unicode forms, addresses in plus forms, in text, varchar or blank-padded char(n) columns; and
// consent times as timestamptz (a Date), timestamp and date (text) or text with PostgreSQL's own
// offset. Invariants: an opt-out in any spelling is never missed (the row is excluded, or the export
// fails naming the column), consent is never guessed, every row is accounted for.

const OPT_OUT_COLUMNS = ['consent_withdrawn', 'bounced', 'unsubscribed'] as const;
type OptOutColumn = (typeof OPT_OUT_COLUMNS)[number];

/** PostgreSQL literals per column type, and whether the export must read each as a set opt-out. */
const OPT_OUT_VALUES: Readonly<Record<string, readonly (readonly [sql: string, set: boolean])[]>> = {
  boolean: [
    ['NULL', false],
    ['false', false],
    ['true', true],
  ],
  text: [
    ['NULL', false],
    ["''", false],
    ["'no'", false],
    ["' No '", false],
    ["'f'", false],
    ["'FALSE'", false],
    ["'0'", false],
    ["'null'", false],
    ["'yes'", true],
    ["'1'", true],
    ["'t'", true],
    ["'withdrawn'", true],
    ["'nein'", true],
    ["'ｎｏ'", true],
    ["'no' || chr(8203)", true],
    ["'2026-03-01'", true],
  ],
  'char(5)': [
    ['NULL', false],
    ["''", false],
    ["'no'", false],
    ["'N'", false],
    ["'yes'", true],
    ["'x'", true],
  ],
  integer: [
    ['NULL', false],
    ['0', false],
    ['1', true],
    ['-1', true],
  ],
  bigint: [
    ['NULL', false],
    ['0', false],
    ['9007199254740993', true],
  ],
  // PostgreSQL writes a zero of scale 1 as `0.0`: not a clear "not set", so doubt excludes.
  numeric: [
    ['NULL', false],
    ['0', false],
    ['0.0', true],
    ['0.5', true],
  ],
  'double precision': [
    ['NULL', false],
    ['0', false],
    ["'-0'", false],
    ["'NaN'", true],
    ["'Infinity'", true],
    ['2', true],
  ],
  timestamptz: [
    ['NULL', false],
    ["'2026-03-01 10:00:00+00'", true],
    ["'1970-01-01 00:00:00+00'", true],
    ["'infinity'", true],
    ["'-infinity'", true],
  ],
  timestamp: [
    ['NULL', false],
    ["'2026-03-01 10:00:00'", true],
    ["'0044-03-15 12:00:00 BC'", true],
    ["'infinity'", true],
  ],
  date: [
    ['NULL', false],
    ["'2026-03-01'", true],
    ["'-infinity'", true],
  ],
  jsonb: [
    ['NULL', false],
    ["'false'", false],
    ["'0'", false],
    ['\'"no"\'', false],
    ["'null'", true],
    ["'true'", true],
    ['\'"yes"\'', true],
    ["'{}'", true],
    ["'[false]'", true],
  ],
  'bit(1)': [
    ['NULL', false],
    ["B'0'", false],
    ["B'1'", true],
  ],
};

/** How a selection names a consent column: exactly, unquoted in capitals (folded to the name), respelled, beside a respelled twin, or twice. */
type Naming = 'exact' | 'unquoted-upper' | 'respelled' | 'both' | 'twice';
const READ_NAMINGS: ReadonlySet<Naming> = new Set(['exact', 'unquoted-upper']);

/** A name PostgreSQL keeps as quoted that reads as `column`: case, dashes, blanks, camel case, look-alikes. */
const respelled = (column: string, how: number): string => {
  const words = column.split('_');
  const forms = [
    words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('_'),
    words.join('-'),
    words.join('\u2013'),
    words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(''),
    column.toUpperCase(),
    `${column} `,
    column.replace('e', '\u0435'),
    `${column}_flag`,
  ].filter((form) => form !== column);
  return forms[how % forms.length] as string;
};

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

const optOutColumn = (column: OptOutColumn) =>
  fc.record({
    column: fc.constant(column),
    type: fc.constantFrom(...Object.keys(OPT_OUT_VALUES)),
    naming: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<Naming>('exact', 'exact', 'exact', 'unquoted-upper') },
      { weight: 3, arbitrary: fc.constantFrom<Naming>('respelled', 'both', 'twice') },
    ),
    how: fc.nat(20),
  });

const CONSENT_TIME_TYPES = ['timestamptz', 'timestamp', 'date', 'text'] as const;

const ATTRIBUTES = { first_name: 'firstname' };
const BASE_COLUMNS = `recipient_id, email, '11' AS opt_in_id, '' AS description, 'email' AS media_type, 'contact' AS entity_type, entity_id, first_name`;

describe('consent, column names and identity through a real PostgreSQL CRM', () => {
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

  interface Exported {
    counts?: ExportCounts;
    error?: unknown;
    accepted: AcceptedRow[];
    excluded: Exclusion[];
    withdrawals: string[][];
  }

  async function exportSelection(query: string, rules: object, suppression?: SuppressionLookup): Promise<Exported> {
    const config = crmConfigSchema.parse({
      kind: 'postgres',
      url,
      chunkSize: 2,
      lists: { members: { query, attributes: ATTRIBUTES } },
    }) as PostgresCrmConfig;
    const crm = openPostgresCrm(config, url);
    const out: Exported = { accepted: [], excluded: [], withdrawals: [] };
    try {
      out.counts = await exportAndValidate({
        crm,
        rules: listRulesSchema.parse({ listKey: 'members', optInId: '11', attributes: ATTRIBUTES, ...rules }),
        accepted: { write: (a) => void out.accepted.push(a) },
        excluded: { write: (e) => void out.excluded.push(e) },
        crmWithdrawal: (keys) => void out.withdrawals.push([...keys]),
        ...(suppression ? { suppression } : {}),
      });
    } catch (error) {
      out.error = error;
    } finally {
      await crm.close();
    }
    return out;
  }

  it('never misses an opt-out of any PostgreSQL type or value, and refuses any other spelling of its column', async () => {
    const drawn = fc
      .record({
        columns: fc.tuple(...OPT_OUT_COLUMNS.map(optOutColumn)).chain((all) => fc.subarray(all, { minLength: 1 })),
        consentTime: fc.option(
          fc.record({
            type: fc.constantFrom(...CONSENT_TIME_TYPES),
            naming: fc.constantFrom<Naming>('exact', 'respelled'),
            how: fc.nat(20),
          }),
          {
            nil: undefined,
          },
        ),
        rows: fc.integer({ min: 1, max: 8 }),
      })
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          // Per row and column: which of the type's values, for the column and a respelled or repeated twin.
          picks: fc.array(fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { minLength: 3, maxLength: 3 }), {
            minLength: shape.rows,
            maxLength: shape.rows,
          }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(drawn, async ({ shape, picks }) => {
        const { columns, consentTime } = shape;
        const valueOf = (c: (typeof columns)[number], row: number, twin: 0 | 1) => {
          const values = OPT_OUT_VALUES[c.type] as readonly (readonly [string, boolean])[];
          const pick = picks[row]![OPT_OUT_COLUMNS.indexOf(c.column)]![twin];
          return values[pick % values.length] as readonly [string, boolean];
        };
        const tableColumns = [
          'recipient_id text',
          'email text',
          'entity_id text',
          'first_name text',
          ...columns.flatMap((c) => [`${c.column}_a ${c.type}`, `${c.column}_b ${c.type}`]),
          ...(consentTime ? [`granted ${consentTime.type}`] : []),
        ];
        await pool.query('DROP TABLE IF EXISTS people');
        await pool.query(`CREATE TABLE people (${tableColumns.join(', ')})`);
        for (let row = 0; row < shape.rows; row += 1) {
          const cells = [
            `'p${row}@example.com'`,
            `'p${row}@example.com'`,
            `'C${row}'`,
            "'Anna'",
            ...columns.flatMap((c) => [0, 1].map((twin) => `CAST(${valueOf(c, row, twin as 0 | 1)[0]} AS ${c.type})`)),
            ...(consentTime ? [`CAST('2026-03-01 10:00:00${consentTime.type === 'timestamp' ? '' : '+01'}' AS ${consentTime.type})`] : []),
          ];
          await pool.query(`INSERT INTO people VALUES (${cells.join(', ')})`);
        }
        const selected = columns.flatMap((c) => {
          switch (c.naming) {
            case 'exact':
              return [`${c.column}_a AS ${c.column}`];
            case 'unquoted-upper':
              return [`${c.column}_a AS ${c.column.toUpperCase()}`];
            case 'respelled':
              return [`${c.column}_a AS ${quoted(respelled(c.column, c.how))}`];
            case 'both':
              return [`${c.column}_a AS ${c.column}`, `${c.column}_b AS ${quoted(respelled(c.column, c.how))}`];
            case 'twice':
              return [`${c.column}_a AS ${c.column}`, `${c.column}_b AS ${c.column}`];
          }
        });
        if (consentTime)
          selected.push(
            `granted AS ${consentTime.naming === 'exact' ? 'consent_granted_at' : quoted(respelled('consent_granted_at', consentTime.how))}`,
          );
        const query = `SELECT ${BASE_COLUMNS}, ${selected.join(', ')} FROM people ORDER BY entity_id`;
        const result = await exportSelection(query, {});

        const refused = [
          ...columns.filter((c) => !READ_NAMINGS.has(c.naming)).map((c) => c.column),
          ...(consentTime?.naming === 'respelled' ? ['consent_granted_at'] : []),
        ];
        if (refused.length > 0) {
          // The export fails before any row is used, naming a column it refused.
          expect({ query, error: result.error }).toEqual({ query, error: expect.any(CrmSelectionAmbiguousError) });
          const message = (result.error as Error).message;
          expect({
            query,
            named: refused.some((column) => message.includes(`name it ${column}`) || message.includes(`column ${column} twice`)),
          }).toEqual({
            query,
            named: true,
          });
          // Never quotes a name that looks like the one it asks for: blanks around an alias are told.
          const looksRight = [...OPT_OUT_COLUMNS, 'consent_granted_at'].some((column) => message.includes(`column "${column}" that`));
          expect({ query, message, looksRight }).toEqual({ query, message, looksRight: false });
          expect(result.accepted).toEqual([]);
          expect(result.withdrawals).toEqual([]);
          return;
        }
        expect({ query, error: result.error }).toEqual({ query, error: undefined });
        // Every row accounted for: each is sent, or excluded by the first opt-out column it sets.
        const expected = Array.from({ length: shape.rows }, (_, row) => {
          const stated = OPT_OUT_COLUMNS.find((column) => {
            const c = columns.find((x) => x.column === column);
            return c !== undefined && valueOf(c, row, 0)[1];
          });
          return stated === undefined ? ['sent', ''] : [stated, stated];
        });
        const actual = Array.from({ length: shape.rows }, (_, row): string[] => {
          if (result.accepted.some((a) => a.rowNumber === row + 1)) return ['sent', ''];
          const e = result.excluded.find((x) => x.rowNumber === row + 1);
          return e ? [e.reason, e.field] : ['lost', ''];
        });
        expect({ query, rows: actual }).toEqual({ query, rows: expected });
        expect(result.counts?.rowsRead).toBe(shape.rows);
        // Each stated withdrawal is handed to the ledger under the row's address.
        const withdrawn = expected.flatMap(([outcome], row) => (outcome === 'sent' ? [] : [suppressionKey(`p${row}@example.com`)]));
        expect(result.withdrawals.map((keys) => keys[0])).toEqual(withdrawn);
      }),
      { numRuns: 100 },
    );
  });

  it('sends one person once and honours an opt-out of any form of the id or address, and a consent time only when it proves a re-grant', async () => {
    const person = fc.record({
      optOut: fc.constantFrom('NULL', 'false', 'false', 'true'),
      form: fc.nat(7),
      tag: fc.nat(TAGS.length - 1),
      grant: fc.nat(GRANT_HOURS.length),
    });
    const drawn = fc.record({
      idKind: fc.constantFrom<'email' | 'opaque'>('email', 'opaque'),
      textType: fc.constantFrom('text', 'varchar(80)', 'char(80)'),
      grantType: fc.constantFrom(...CONSENT_TIME_TYPES),
      rows: fc.array(fc.tuple(fc.nat(PEOPLE.length - 1), person), { minLength: 1, maxLength: 8 }),
      ledger: fc.array(
        fc.record({ who: fc.nat(PEOPLE.length - 1), tag: fc.nat(TAGS.length - 1), kind: fc.constantFrom('unsubscribe', 'bounce', 'crm') }),
        {
          maxLength: 2,
        },
      ),
    });
    await fc.assert(
      fc.asyncProperty(drawn, async ({ idKind, textType, grantType, rows, ledger }) => {
        await pool.query('DROP TABLE IF EXISTS people');
        await pool.query(
          `CREATE TABLE people (recipient_id ${textType}, email ${textType}, entity_id text, first_name text, unsubscribed boolean, granted ${grantType})`,
        );
        const cells = rows.map(([who, r], i) => {
          const address = `${PEOPLE[who]}${TAGS[r.tag]}@example.com`;
          const shown = r.form % 2 === 1 ? address.toUpperCase() : address;
          const email = idKind === 'email' ? shown : `${PEOPLE[who]}@example.com`;
          return [
            idKind === 'email' ? shown : idForm(OPAQUE_IDS[who] as string, r.form),
            email,
            `C${i}`,
            'Anna',
            r.optOut,
            grantText(grantType, r.grant),
          ];
        });
        for (const row of cells)
          await pool.query(`INSERT INTO people VALUES ($1, $2, $3, $4, ${row[4]}, CAST($5 AS ${grantType}))`, [
            row[0],
            row[1],
            row[2],
            row[3],
            row[5],
          ]);
        const suppression = suppressionLookup({
          active: ledger.flatMap((l) =>
            l.kind === 'crm'
              ? []
              : [
                  {
                    kind: l.kind as 'unsubscribe' | 'bounce',
                    recipientKey: ledgerKey(idKind, l.who, l.tag),
                    latestAt: new Date(WITHDRAWN_AT).toISOString(),
                  },
                ],
          ),
          crmWithdrawals: ledger.flatMap((l) =>
            l.kind === 'crm' ? [{ recipientKey: ledgerKey(idKind, l.who, l.tag), withdrawnAt: new Date(WITHDRAWN_AT).toISOString() }] : [],
          ),
          allowResubscribe: true,
          now: NOW,
        });
        const query = `SELECT ${BASE_COLUMNS}, unsubscribed, granted AS consent_granted_at FROM people ORDER BY entity_id`;
        const result = await exportSelection(query, { recipientIdKind: idKind }, suppression);
        expect(result.error).toBeUndefined();
        expect(result.counts?.rowsRead).toBe(rows.length);
        expect(result.accepted.length + result.excluded.length).toBe(rows.length);

        const sentBy = (who: number) =>
          result.accepted.filter((a) => a.recipient.email.replace(/\+[^@]*@/, '@') === `${PEOPLE[who]}@example.com`);
        for (const [who] of PEOPLE.entries()) {
          const own = rows.filter(([w]) => w === who).map(([, r]) => r);
          if (own.length === 0) continue;
          const entries = ledger.filter((l) => l.who === who);
          const regranted = (r: (typeof own)[number]) => entries.every((l) => l.kind !== 'bounce' && provesRegrant(grantType, r.grant));
          const mayBeSent = own.every((r) => r.optOut !== 'true' && regranted(r));
          const context = { idKind, textType, grantType, who, own, entries };
          const sent = sentBy(who).map((a) => a.recipient.recipientId.toLowerCase());
          // One person once (opaque ids in any form), or once per plus form of the address; nothing when any row or the ledger withdrew and no consent time proves a re-grant.
          const forms = idKind === 'opaque' ? 1 : new Set(own.map((r) => TAGS[r.tag]?.toLowerCase())).size;
          expect({ ...context, sent: sent.length, distinct: new Set(sent).size }).toEqual({
            ...context,
            sent: mayBeSent ? forms : 0,
            distinct: mayBeSent ? forms : 0,
          });
        }
      }),
      { numRuns: 60 },
    );
  });
});

const TAGS = ['', '+news', '+NEWS', '+shop'];
const PEOPLE = ['anna', 'kim.lee', 'ole'];
/** One opaque id per person, with letters that have composed and decomposed forms. */
const OPAQUE_IDS = ['M\u00fcller-1', 'Caf\u00e9 7', 'KUNDE-\u00c5ngstr\u00f6m'];

/** The id in one of the forms a person reads as the same text. */
function idForm(id: string, form: number): string {
  switch (form % 4) {
    case 0:
      return id.normalize('NFD');
    case 1:
      return id.toUpperCase();
    case 2:
      return `${id.slice(0, 2)}\u200b${id.slice(2)}`;
    default:
      return id.replace(/[!-~]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x21 + 0xff01));
  }
}

const HOUR = 3_600_000;
const WITHDRAWN_AT = Date.parse('2026-03-10T12:00:00.000Z');
const NOW = Date.parse('2026-03-31T00:00:00.000Z');
/** Consent times by hours after the withdrawal (the last index of a draw is no consent time); 600 h lies after now. */
const GRANT_HOURS = [-48, -1, 0.0001, 1, 13, 15, 48, 600];

/** The consent time as the column's type takes it, or null: an instant `hours` after the withdrawal. */
function grantText(type: (typeof CONSENT_TIME_TYPES)[number], index: number): string | null {
  const hours = GRANT_HOURS[index];
  if (hours === undefined) return null;
  const iso = new Date(WITHDRAWN_AT + hours * HOUR).toISOString();
  // A timestamp without zone holds the instant's UTC fields; text holds it as PostgreSQL writes a timestamptz.
  if (type === 'timestamp') return iso.slice(0, 23).replace('T', ' ');
  if (type === 'date') return iso.slice(0, 10);
  if (type === 'text') return `${iso.slice(0, 23).replace('T', ' ')}+00`;
  return iso;
}

/** Whether the consent time proves a grant in a later second than the withdrawal, never guessed. */
function provesRegrant(type: (typeof CONSENT_TIME_TYPES)[number], index: number): boolean {
  const hours = GRANT_HOURS[index];
  if (hours === undefined || type === 'date') return false;
  const second = (ms: number) => Math.floor(ms / 1000);
  const at = WITHDRAWN_AT + hours * HOUR;
  // Without zone the time may be any instant within ±14 h: its earliest must be later.
  const earliest = type === 'timestamp' ? at - 14 * HOUR : at;
  if (type === 'text') return false;
  return earliest <= NOW && second(earliest) > second(WITHDRAWN_AT);
}

/** The ledger's key for a person: an address in some plus form, or the opaque id as stored. */
function ledgerKey(idKind: 'email' | 'opaque', who: number, tag: number): string {
  return suppressionKey(idKind === 'email' ? `${PEOPLE[who]}${TAGS[tag]}@example.com` : idForm(OPAQUE_IDS[who] as string, tag));
}
