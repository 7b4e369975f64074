import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { ConfigError } from '../../../src/errors/config-error';

// One Optimizely list is filled by one synchronised list: two would clear and refill it in turn, each
// under its own consent. Two lists of one client with one listId were refused; two clients that reach
// one Optimizely account (a second API user, a client split for its own schedule: the same mandatorId
// at the same endpoint, however the URL is spelled) were not, and their lists of one listId loaded.

type RawClient = { key: string; endpoint: string; mandatorId: number; username: string; lists: Array<{ key: string; listId: number }> };

/** Spellings of one endpoint origin (host case, default port, a path or trailing slash, the fully qualified name's dot). */
const ONE_ORIGIN = [
  'https://api.campaign.episerver.net',
  'https://api.campaign.episerver.net./',
  'https://Api.Campaign.Episerver.Net.:443/rpc',
  'https://API.Campaign.Episerver.NET/',
  'https://api.campaign.episerver.net:443',
  'HTTPS://api.campaign.episerver.net/rpc',
];
const OTHER_ORIGINS = [
  'https://api2.campaign.episerver.net',
  'http://api.campaign.episerver.net',
  'https://api.campaign.episerver.net:8443',
];

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw, 'test.json', '/tmp');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('one synchronised list per Optimizely list', () => {
  it('refuses a list id another client of the same account fills already, naming the setting and the other list', () => {
    fc.assert(
      fc.property(
        fc.record({
          endpoints: fc.tuple(fc.constantFrom(...ONE_ORIGIN), fc.constantFrom(...ONE_ORIGIN, ...OTHER_ORIGINS)),
          mandators: fc.tuple(fc.constantFrom(1234, 99), fc.constantFrom(1234, 99)),
          secondIds: fc.uniqueArray(fc.constantFrom(100, 200, 300, 400), { minLength: 2, maxLength: 2 }),
          secondUser: fc.constantFrom('api-user', 'other-user'),
        }),
        ({ endpoints, mandators, secondIds, secondUser }) => {
          const raw = demoConfig() as { clients: RawClient[] };
          const first = raw.clients[0]!;
          Object.assign(first, { endpoint: endpoints[0], mandatorId: mandators[0] });
          const second = structuredClone(first);
          Object.assign(second, { key: 'second', endpoint: endpoints[1], mandatorId: mandators[1], username: secondUser });
          second.lists.forEach((list, i) => (list.listId = secondIds[i]!));
          raw.clients.push(second);
          // The two clients read the demo's selections on purpose (one consent numbering): said so.
          for (const entry of Object.values((raw as unknown as { crm: { lists: Record<string, object> } }).crm.lists))
            Object.assign(entry, { sharedBy: ['demo', 'second'] });

          const sameAccount = mandators[0] === mandators[1] && ONE_ORIGIN.includes(endpoints[1]);
          const owners = new Map(first.lists.map((list) => [list.listId, list.key]));
          const expected = second.lists.flatMap((list, i) => {
            const owner = owners.get(list.listId);
            if (!sameAccount || owner === undefined) return [];
            return [
              expect.stringMatching(
                new RegExp(`^clients\\.1\\.lists\\.${i}\\.listId: list ${list.listId} .*by ${owner} of client demo\\b`),
              ),
            ];
          });
          expect(problems(raw)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('still refuses one list id twice within a client', () => {
    const raw = demoConfig() as { clients: RawClient[] };
    raw.clients[0]!.lists[1]!.listId = raw.clients[0]!.lists[0]!.listId;
    expect(problems(raw)).toEqual(['clients.0.lists.1.listId: list 100 is already synchronised by newsletter']);
  });
});
