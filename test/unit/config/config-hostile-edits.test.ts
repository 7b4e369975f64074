import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// A configuration file is outside input too: whatever one edit does to a valid file, loading it either
// succeeds or fails with a ConfigError whose every line names the setting, and never pollutes prototypes.

type Path = (string | number)[];
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, Array.isArray(value) ? Number(k) : k]))];
}

const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(
    '__proto__',
    'constructor',
    'toString',
    'hasownproperty',
    '',
    ' ',
    '-1',
    '1e309',
    'NaN',
    '0x10',
    'true',
    null,
    -1,
    0,
    -0,
    2 ** 53,
    1.5,
    1e308,
    true,
    [],
    {},
    '\u202Eevil',
    '\u0000',
    'a'.repeat(100_000),
    'ftp://x',
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 12 }),
);
const edit = fc.tuple(fc.nat(), hostileValue, fc.constantFrom('set', 'delete', 'addKey'));

function applyEdit(raw: unknown, paths: Path[], [n, value, kind]: [number, unknown, string]): void {
  const path = paths[n % paths.length]!;
  if (path.length === 0) return;
  let at = raw as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) at = at?.[step] as Record<string | number, unknown>;
  if (at === null || typeof at !== 'object') return;
  const last = path[path.length - 1]!;
  if (kind === 'set') at[last] = value;
  else if (kind === 'delete') delete at[last];
  else if (typeof value === 'string' && value.length < 20) Object.defineProperty(at, value, { value: 1, enumerable: true, writable: true });
}

describe('parseConfig on hostile edits of a valid file', () => {
  it('loads the file or names every setting it refuses, and never throws anything else', () => {
    const base = demoConfig();
    const paths = pathsOf(base);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const raw = JSON.parse(JSON.stringify(base)) as unknown;
        for (const e of edits) applyEdit(raw, paths, e);
        // Through JSON as a file would come, so `__proto__` is an own key as JSON.parse makes it.
        const fromFile = JSON.parse(JSON.stringify(raw)) as unknown;
        try {
          parseConfig(fromFile, 'test.json', '/tmp');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const problem of (error as ConfigError).problems) expect(problem).toMatch(/^[^\n]+: /);
        }
        expect(({} as Record<string, unknown>)['x']).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  type Raw = {
    clients: Array<Record<string, unknown> & { lists: Array<Record<string, unknown>> }>;
    crm: { lists: Record<string, unknown> };
  };
  const raw = () => demoConfig() as unknown as Raw;
  const problems = (config: Raw) => {
    try {
      parseConfig(config, 'test.json', '/tmp');
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems;
    }
  };

  it.each(['constructor', 'tostring', 'valueof'])('refuses a list named %s that has no CRM selection, naming it', (key) => {
    const config = raw();
    config.clients[0]!.lists[0]!.key = key;
    expect(problems(config)).toContain(
      `clients.0.lists.0.key: no CRM selection for list ${key} under crm.lists (crm.lists["demo/${key}"] or crm.lists.${key})`,
    );
  });

  it('refuses two synchronised lists of one Optimizely list, an endpoint that is not http(s), and reads entity types in lower case', () => {
    const config = raw();
    config.clients[0]!.lists[1]!.listId = config.clients[0]!.lists[0]!.listId;
    config.clients[0]!.endpoint = 'file:///etc/passwd';
    expect(problems(config)).toEqual([
      'clients.0.endpoint: an http or https URL',
      expect.stringMatching(/^clients\.0\.lists\.1\.listId: list \d+ is already synchronised by newsletter$/),
    ]);
    const cased = raw();
    cased.clients[0]!.lists[0]!.entityTypes = [' Contact ', 'LEAD'];
    expect(parseConfig(cased, 'test.json', '/tmp').clients[0]!.lists[0]!.entityTypes).toEqual(['contact', 'lead']);
  });

  it('refuses a feedback column mapping that gives two columns one header, naming the column', () => {
    const config = raw();
    config.clients[0]!.feedbackColumns = { recipientListId: 'mailingId' };
    expect(problems(config)).toEqual([
      'clients.0.feedbackColumns.recipientListId: header "mailingId" is already the mailingId column; each column needs a header of its own',
    ]);
  });
});
