import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/errors/config-error';

// A client's own entry (`<client>/<list>`) that reads the same CSV file or runs the same query as
// another client's is one selection under two keys: the sharing refused for a plain entry, copied.

const SAME_FILE = ['newsletter.csv', './newsletter.csv', 'x/../newsletter.csv', '/etc/cs/newsletter.csv'];
const OTHER_FILE = ['brand-b.csv', '/etc/cs/b/newsletter.csv'];
const SAME_QUERY = ['SELECT * FROM newsletter', '  SELECT * FROM newsletter\n'];
const OTHER_QUERY = ["SELECT * FROM newsletter WHERE brand = 'b'"];

function problems(kind: 'csv' | 'sqlite', sources: [string, string]): string[] {
  const entry = (source: string) => (kind === 'csv' ? { file: source } : { query: source });
  const client = (key: string, mandatorId: number) => ({
    key,
    endpoint: 'https://api.example.com',
    mandatorId,
    username: 'u',
    password: { env: 'P' },
    lists: [{ key: 'newsletter', listId: 1, optInId: '11' }],
  });
  const lists = { 'a/newsletter': entry(sources[0]), 'b/newsletter': entry(sources[1]) };
  const crm = kind === 'csv' ? { kind, lists, outbox: 'out' } : { kind, file: 'crm.sqlite', lists };
  try {
    parseConfig({ clients: [client('a', 1), client('b', 2)], crm, store: { kind: 'sqlite', file: 's.sqlite' } }, 'test.json', '/etc/cs');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('one selection per client, whatever its key', () => {
  it('refuses two clients reading one CSV file or one query under their own keys', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(fc.constant('csv' as const), fc.constantFrom(...SAME_FILE), fc.constantFrom(...SAME_FILE, ...OTHER_FILE)),
          fc.tuple(fc.constant('sqlite' as const), fc.constantFrom(...SAME_QUERY), fc.constantFrom(...SAME_QUERY, ...OTHER_QUERY)),
        ),
        ([kind, first, second]) => {
          const same = SAME_FILE.includes(second) || SAME_QUERY.includes(second);
          expect(problems(kind, [first, second])).toEqual(
            same
              ? [expect.stringMatching(/^crm\.lists\.b\/newsletter: reads the same .* as crm\.lists\.a\/newsletter, read by client a: /)]
              : [],
          );
        },
      ),
    );
  });
});
