import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig, type SqliteCrmConfig } from '../../../src/crm/crm-config';
import type { CrmPort } from '../../../src/crm/crm-port';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { CONSENT_COLUMNS, consentColumnNearMiss } from '../../../src/crm/selection-column-names';
import { openSqliteCrm } from '../../../src/crm/sql/sqlite-crm';
import { CrmSelectionAmbiguousError } from '../../../src/errors/crm-selection-ambiguous-error';
import { exportAndValidate, type AcceptedRow } from '../../../src/validation/export-and-validate';
import { listRulesSchema } from '../../../src/validation/list-rules';

// A consent column under another spelling is refused (consent-column-names.test.ts covers case,
// `_ - . blank`, full width, invisible characters). Found: the words of a name written in camel case
// (`ConsentWithdrawn`, `unsubscribedAt`), run together (`consentwithdrawn`), joined by another dash or
// punctuation (`consent–withdrawn` with an en dash, `consent/withdrawn`) or with a letter of another
// script that looks like the Latin one (`unsubscrіbed` with a Cyrillic і, `UNSUBSCRİBED` with a
// Turkish İ) were not recognised, so the column's opt-outs were ignored and every row was sent,
// through every adapter. Such a name now fails the export naming the column meant.

const WORDS: Readonly<Record<string, readonly string[]>> = {
  consent_withdrawn: ['consent', 'withdrawn'],
  bounced: ['bounced'],
  unsubscribed: ['unsubscribed'],
  consent_granted_at: ['consent', 'granted', 'at'],
};
const SUFFIXES: readonly (readonly string[])[] = [[], [], ['at'], ['date'], ['flag'], ['status']];
type Style = 'camel' | 'pascal' | 'squashed' | 'upper-squashed' | 'separated';
/** Separators between words a person reads as one: dashes and connectors of every kind, slashes, middle dots. */
const SEPARATORS = ['\u2013', '\u2010', '\u2212', '/', '\u00b7', '|', '\uff3f', ':', '+', '\u30fb'];
/** Letters of other scripts that look like Latin ones, by the Latin letter (lower and upper case). */
const LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = {
  a: ['\u0430', '\u0251'],
  c: ['\u0441'],
  e: ['\u0435'],
  i: ['\u0456', '\u0131'],
  o: ['\u043e', '\u03bf'],
  p: ['\u0440'],
  s: ['\u0455'],
  u: ['\u03c5'],
  A: ['\u0391', '\u0410'],
  B: ['\u0392'],
  E: ['\u0395', '\u0415'],
  I: ['\u0130', '\u0406'],
  N: ['\u039d'],
  O: ['\u039f'],
  T: ['\u03a4'],
};

const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** `column` written in another style, with some letters swapped for look-alikes; never the exact name. */
const restyled = (column: string): fc.Arbitrary<string> =>
  fc
    .record({
      suffix: fc.constantFrom(...SUFFIXES),
      style: fc.constantFrom<Style>('camel', 'pascal', 'squashed', 'upper-squashed', 'separated'),
      separator: fc.constantFrom(...SEPARATORS),
      swaps: fc.array(fc.nat(40), { maxLength: 2 }),
      pick: fc.nat(1),
    })
    .map(({ suffix, style, separator, swaps, pick }) => {
      const words = [...(WORDS[column] as string[]), ...suffix];
      let name =
        style === 'camel'
          ? words.map((w, i) => (i === 0 ? w : capital(w))).join('')
          : style === 'pascal'
            ? words.map(capital).join('')
            : style === 'squashed'
              ? words.join('')
              : style === 'upper-squashed'
                ? words.join('').toUpperCase()
                : words.join(separator);
      for (const at of swaps) {
        const index = at % name.length;
        const forms = LOOK_ALIKES[name.charAt(index)];
        if (forms) name = name.slice(0, index) + forms[pick % forms.length] + name.slice(index + 1);
      }
      return name;
    })
    .filter((name) => name !== column);

let dir: string;
let files = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-consent-name-forms-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = ['recipient_id', 'email', 'opt_in_id', 'description', 'media_type', 'entity_type', 'entity_id', 'first_name'];
const person = (n: number): string[] => [`p${n}@example.com`, `p${n}@example.com`, '11', 'd', 'email', 'contact', `C${n}`, 'Anna'];

function inMemory(name: string): CrmPort {
  const rows = [0, 1].map((n) => ({ ...Object.fromEntries(BASE.map((c, i) => [c, person(n)[i]])), [name]: n === 0 ? '1' : '0' }));
  return {
    async *exportSelection() {
      yield* rows;
    },
    applyFeedback: async () => [],
    applyResponses: async () => [],
    campaignForMailing: async () => undefined,
    close: async () => undefined,
  };
}

function csv(name: string): CrmPort {
  const file = join(dir, `crm-${++files}.csv`);
  const lines = [
    [...BASE, name],
    [...person(0), '1'],
    [...person(1), '0'],
  ].map((cells) => cells.map((c) => `"${c}"`).join(';'));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const config = crmConfigSchema.parse({
    kind: 'csv',
    outbox: dir,
    format: { delimiter: ';' },
    lists: { newsletter: { file, attributes: { first_name: 'firstname' } } },
  }) as CsvCrmConfig;
  return openCsvCrm(config);
}

function sqlite(name: string): CrmPort {
  const file = join(dir, `crm-${++files}.db`);
  const db = new Database(file);
  db.exec(`CREATE TABLE people (${BASE.join(', ')}, flag)`);
  const insert = db.prepare(`INSERT INTO people VALUES (${[...BASE, 'flag'].map(() => '?').join(', ')})`);
  insert.run(...person(0), '1');
  insert.run(...person(1), '0');
  db.close();
  const quoted = `"${name.replace(/"/g, '""')}"`;
  const config = crmConfigSchema.parse({
    kind: 'sqlite',
    file,
    lists: { newsletter: { query: `SELECT ${BASE.join(', ')}, flag AS ${quoted} FROM people`, attributes: { first_name: 'firstname' } } },
  }) as SqliteCrmConfig;
  return openSqliteCrm(config);
}

describe('a consent column whose words are written another way', () => {
  it('fails the export naming the column meant, through every adapter, and sends nobody', async () => {
    const variant = fc.constantFrom(...CONSENT_COLUMNS).chain((column) => restyled(column).map((name) => ({ column, name })));
    await fc.assert(
      fc.asyncProperty(variant, fc.constantFrom(inMemory, csv, sqlite), async ({ column, name }, open) => {
        expect(consentColumnNearMiss(name)).toBe(column);
        const accepted: AcceptedRow[] = [];
        const crm = open(name);
        const work = exportAndValidate({
          crm,
          rules: listRulesSchema.parse({ listKey: 'newsletter', optInId: '11', attributes: { first_name: 'firstname' } }),
          accepted: { write: (a) => void accepted.push(a) },
          excluded: { write: () => undefined },
        });
        await expect(work).rejects.toThrow(CrmSelectionAmbiguousError);
        await expect(work).rejects.toThrow(`name it ${column}`);
        await crm.close();
        expect(accepted).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('still lets unrelated columns through, whatever their style', () => {
    for (const name of ['BounceRateTotal', 'unsubscribeLink', 'consents', 'Status', 'optOutReason', 'consentSource', 'bounce–count'])
      expect(consentColumnNearMiss(name)).toBeUndefined();
  });
});
