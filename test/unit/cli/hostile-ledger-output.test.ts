import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { unescapeFormulaCell } from '../../../src/csv/formula-cells';
import { aRun, aSent, anExcluded } from '../../helpers/store-builders';
import { useCliOnDemoStore } from '../../helpers/cli-on-demo-store';

// A ledger holding what a hostile CRM can put into it: spreadsheet formulas and terminal escape
// sequences. `report --csv` must write a file a spreadsheet opens as text; `why`, `report` and `runs`
// must print the text visibly instead of letting the terminal act on it.

const SCREEN_CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const FORMULAS = ['=HYPERLINK("http://evil.example","click")', "=cmd|'/C calc'!A0", '+1+2', '@SUM(1,2)', '-2+3', '\t=1'];
// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const { cli, path } = useCliOnDemoStore('cli-hostile', async (store) => {
  await store.runs.upsert(aRun({ client: 'demo', listKey: `newsletter${SCREEN_CLEAR}`, status: 'completed', counts: { exported: 1 } }));
  await store.ledger.record([
    aSent('anna@example.com', 0, { entityId: `C1${SCREEN_CLEAR}${TITLE}`, entityType: 'contact\u202e' }),
    ...FORMULAS.map((value, i) => anExcluded(i + 1, 'invalid_email', { recipientId: value, entityId: value, entityType: 'lead' })),
  ]);
});

describe('CLI output of hostile ledger text', () => {
  it('writes report --csv with every formula value escaped, and the raw value recoverable', async () => {
    const file = path('ledger.csv');
    expect((await cli(['report', 'run-1', '--csv', file])).code).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const excluded = rows.filter((r) => r.outcome === 'excluded');
    expect(excluded.map((r) => r.recipientId)).toEqual(FORMULAS.map((f) => `'${f}`));
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(excluded.map((r) => unescapeFormulaCell(r.entityId ?? ''))).toEqual(FORMULAS);
    expect(excluded.map((r) => r.rowNumber)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('prints why with escape sequences and bidi overrides made visible', async () => {
    const result = await cli(['why', 'anna@example.com']);
    expect(result.code).toBe(0);
    expect(result.out).not.toMatch(RAW_CONTROL);
    expect(result.out).toContain('C1\\u001B[2J\\u001B]0;pwned\\u0007');
    expect(result.out).toContain('contact\\u202E');
  });

  it('escapes the subject an operator typed, and keeps --json parseable with the raw values', async () => {
    const typed = await cli(['why', `contact:${TITLE}`]);
    expect(typed.err).not.toMatch(RAW_CONTROL);
    // Quoted as an argument is (src/errors/quoted-text.ts: lower-case hex, as CRM column names are).
    expect(typed.err).toContain('"contact:\\u001b]0;pwned\\u0007"');
    const json = await cli(['why', 'anna@example.com', '--json']);
    expect(json.out).not.toMatch(RAW_CONTROL);
    const parsed = JSON.parse(json.out) as { lists: Record<string, Array<{ entityId: string }>> };
    expect(parsed.lists.newsletter?.[0]?.entityId).toBe(`C1${SCREEN_CLEAR}${TITLE}`);
  });

  it("prints runs and report with the run's list key escaped", async () => {
    for (const argv of [['runs'], ['report', 'run-1']]) {
      const result = await cli(argv);
      expect(result.code).toBe(0);
      expect(result.out).not.toMatch(RAW_CONTROL);
      expect(result.out).toContain('newsletter\\u001B[2J');
    }
  });
});
