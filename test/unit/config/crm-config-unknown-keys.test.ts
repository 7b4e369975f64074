import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// The CRM part of the configuration decides consent: a CSV list's `columns` maps the file's opt-out
// column onto `unsubscribed`, `statements` say how an unsubscribe reaches the CRM. A setting spelled
// wrong (`colums`, `statments`, `maxMalformedPercnt`) was silently dropped and its default used: the
// opt-out column kept its own name, so its opt-outs were read by nobody and every row was sent. Like
// every other part of the file, an unknown setting is refused, naming it.

type Json = Record<string, unknown>;

const csvCrm = (): Json => ({
  kind: 'csv',
  outbox: 'out',
  format: { delimiter: ';' },
  campaigns: { '1001': 'CMP-1' },
  lists: {
    newsletter: { file: 'in/newsletter.csv', columns: { Abmeldung: 'unsubscribed' }, attributes: { first_name: 'firstname' } },
    offers: { file: 'in/offers.csv' },
  },
});
const sqliteCrm = (): Json => ({
  kind: 'sqlite',
  file: 'crm.sqlite',
  statements: { bounce: 'UPDATE bounces SET hard = 1 WHERE entity_id = :entityId' },
  lists: { newsletter: { query: 'SELECT 1', attributes: { first_name: 'firstname' } }, offers: { query: 'SELECT 2' } },
});
const postgresCrm = (): Json => ({
  kind: 'postgres',
  urlEnv: 'CRM_URL',
  chunkSize: 500,
  statements: {},
  lists: { newsletter: { query: 'SELECT 1' }, offers: { query: 'SELECT 2' } },
});

/** The objects of each CRM kind whose keys are settings (not records keyed by a column, list or mailing). */
const SETTING_OBJECTS: Record<string, { crm: () => Json; paths: string[][] }> = {
  csv: { crm: csvCrm, paths: [[], ['format'], ['lists', 'newsletter'], ['lists', 'offers']] },
  sqlite: { crm: sqliteCrm, paths: [[], ['statements'], ['lists', 'newsletter'], ['lists', 'offers']] },
  postgres: { crm: postgresCrm, paths: [[], ['statements'], ['lists', 'newsletter']] },
};
const KNOWN = new Set([
  ...['kind', 'file', 'url', 'urlEnv', 'chunkSize', 'lists', 'statements', 'format', 'outbox', 'campaigns'],
  ...['query', 'attributes', 'columns', 'maxMalformedPercent', 'lastLineWithoutEnd'],
  ...['entityExists', 'bounce', 'unsubscribe', 'campaignForMailing', 'response', 'responseBatch'],
  ...['delimiter', 'encoding', 'bom', 'quote', 'escape'],
]);

// Misspellings of real settings, and any other name (`__proto__` and `constructor` included).
const typo = fc
  .constantFrom(...KNOWN)
  .chain((name) =>
    fc.oneof(
      fc.constant(name.slice(0, -1)),
      fc.constant(`${name}s`),
      fc.constant(name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase()),
      fc.constant(` ${name}`),
    ),
  );
const unknownKey = fc
  .oneof(typo, fc.constantFrom('__proto__', 'constructor', 'toString', 'comment', '_note'), fc.string({ minLength: 1, maxLength: 12 }))
  .filter((key) => !KNOWN.has(key));

function withCrm(crm: Json): Json {
  return { ...(JSON.parse(JSON.stringify(demoConfig())) as Json), crm };
}

describe('the CRM configuration refuses settings it does not know', () => {
  it('names an unknown key at any setting object of any CRM kind, whatever value it holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(SETTING_OBJECTS)),
        fc.nat(),
        unknownKey,
        fc.jsonValue({ maxDepth: 1 }),
        (kind, n, key, value) => {
          const { crm: build, paths } = SETTING_OBJECTS[kind]!;
          const crm = build();
          const path = paths[n % paths.length]!;
          let at = crm;
          for (const step of path) at = at[step] as Json;
          Object.defineProperty(at, key, { value, enumerable: true, writable: true, configurable: true });
          // Through JSON as a file comes, so `__proto__` is an own key as JSON.parse makes it.
          const raw = JSON.parse(JSON.stringify(withCrm(crm))) as unknown;
          let problems: string[] = [];
          try {
            parseConfig(raw, 'test.json', '/tmp');
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            problems = [...(error as ConfigError).problems];
          }
          const where = ['crm', ...path].join('.');
          expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${where.replace(/\./g, '\\.')}: Unrecognized key`)));
          if (/^[\x21-\x7e]+$/.test(key)) expect(problems.join('\n')).toContain(`"${key}"`);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('still loads each valid CRM configuration', () => {
    for (const { crm } of Object.values(SETTING_OBJECTS)) expect(() => parseConfig(withCrm(crm()), 'test.json', '/tmp')).not.toThrow();
  });

  it('example: a misspelt `columns` no longer drops the mapping of the opt-out column', () => {
    const crm = csvCrm();
    const list = (crm['lists'] as Record<string, Json>)['newsletter']!;
    list['colums'] = list['columns'];
    delete list['columns'];
    expect(() => parseConfig(withCrm(crm), 'test.json', '/tmp')).toThrow(/crm\.lists\.newsletter: .*colums/);
  });
});
