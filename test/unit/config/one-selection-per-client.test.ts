import fc from 'fast-check';
import { parseConfig } from '../../../src/config/load-config';
import { ConfigError } from '../../../src/errors/config-error';
import { listRules } from '../../../src/sync/config-lookup';
import type { CampaignSyncConfig } from '../../../src/config/config-schema';

// Opt-in ids are numbered per Optimizely client: two clients (two brands) whose lists `newsletter`
// both read the one entry crm.lists.newsletter filled brand B's list with the people who consented to
// brand A whenever their opt-in ids coincided. A client's list now reads crm.lists["<client>/<list>"]
// when given, else the plain entry; a plain entry read by several clients is refused unless its
// `sharedBy` names exactly those clients.

const CLIENTS = ['a', 'b', 'c'];
const LISTS = ['newsletter', 'offers', 'news'];
/** How a client's list gets its selection: the plain entry, its own, or both given (its own wins). */
type Mode = 'plain' | 'own' | 'both';
/** What a plain entry says about sharing: nothing, its readers exactly, one fewer, or one more. */
type Sharing = 'none' | 'exact' | 'fewer' | 'more';

interface Shape {
  clients: Array<{ key: string; lists: Array<{ key: string; mode: Mode }> }>;
  sharing: Record<string, Sharing>;
}

const shapeArb: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc.record({
    clients: fc.tuple(
      ...CLIENTS.slice(0, count).map((key) =>
        fc.record({
          key: fc.constant(key),
          lists: fc.uniqueArray(fc.record({ key: fc.constantFrom(...LISTS), mode: fc.constantFrom<Mode>('plain', 'own', 'both') }), {
            minLength: 1,
            maxLength: 3,
            selector: (l) => l.key,
          }),
        }),
      ),
    ),
    sharing: fc.record(Object.fromEntries(LISTS.map((l) => [l, fc.constantFrom<Sharing>('none', 'exact', 'fewer', 'more')]))),
  }),
);

/** Clients reading the plain entry of a list key, by the shape alone (the test's own oracle). */
function plainReaders(shape: Shape, listKey: string): string[] {
  return shape.clients.filter((c) => c.lists.some((l) => l.key === listKey && l.mode === 'plain')).map((c) => c.key);
}

function sharedByOf(shape: Shape, listKey: string): string[] | undefined {
  const readers = plainReaders(shape, listKey);
  const others = CLIENTS.filter((c) => !readers.includes(c));
  switch (shape.sharing[listKey]) {
    case 'exact':
      return readers;
    case 'fewer':
      return readers.slice(1);
    case 'more':
      return [...readers, ...others.slice(0, 1)];
    default:
      return undefined;
  }
}

function rawConfig(shape: Shape): Record<string, unknown> {
  const lists: Record<string, unknown> = {};
  const entry = (name: string, sharedBy?: string[]) => ({
    query: `SELECT * FROM selection_${name.replace('/', '_')}`,
    ...(sharedBy === undefined ? {} : { sharedBy }),
  });
  for (const listKey of LISTS) {
    if (hasPlainEntry(shape, listKey)) lists[listKey] = entry(listKey, sharedByOf(shape, listKey));
  }
  for (const client of shape.clients)
    for (const list of client.lists) if (list.mode !== 'plain') lists[`${client.key}/${list.key}`] = entry(`${client.key}/${list.key}`);
  return {
    clients: shape.clients.map((client, c) => ({
      key: client.key,
      endpoint: 'https://api.example.com',
      mandatorId: c + 1,
      username: 'u',
      password: { env: 'P' },
      // The same opt-in id in every client: the case where a shared selection sends the wrong consent.
      lists: client.lists.map((list, l) => ({ key: list.key, listId: l + 1, optInId: '11' })),
    })),
    crm: { kind: 'sqlite', file: 'crm.sqlite', lists },
    store: { kind: 'sqlite', file: 'state.sqlite' },
  };
}

function load(raw: unknown): { config: CampaignSyncConfig } | { problems: string[] } {
  try {
    return { config: parseConfig(raw, 'test.json', '/tmp') };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problems: error.problems };
  }
}

function hasPlainEntry(shape: Shape, listKey: string): boolean {
  return shape.clients.some((c) => c.lists.some((l) => l.key === listKey && l.mode !== 'own'));
}

/** A plain entry read by several clients is allowed only when its sharedBy names exactly them. */
function shapeIsValid(shape: Shape): boolean {
  return LISTS.filter((listKey) => hasPlainEntry(shape, listKey)).every((listKey) => {
    const readers = plainReaders(shape, listKey);
    const sharedBy = sharedByOf(shape, listKey);
    if (sharedBy === undefined) return readers.length <= 1;
    return sharedBy.length >= 2 && sharedBy.length === readers.length && sharedBy.every((c) => readers.includes(c));
  });
}

describe('one CRM selection per client unless declared shared', () => {
  it('never lets two clients read one selection unless its sharedBy names both, and refuses naming both lists', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const raw = rawConfig(shape);
        const loaded = load(raw);
        expect('config' in loaded).toBe(shapeIsValid(shape));
        if (!('config' in loaded)) {
          // Every undeclared sharing is named with both lists' places in the file.
          for (const listKey of LISTS) {
            const readers = plainReaders(shape, listKey);
            if (readers.length < 2 || sharedByOf(shape, listKey) !== undefined) continue;
            const paths = readers.map((client) => {
              const c = shape.clients.findIndex((x) => x.key === client);
              return `clients.${c}.lists.${shape.clients[c]!.lists.findIndex((l) => l.key === listKey)}`;
            });
            const named = loaded.problems.filter((p) => p.includes(`crm.lists.${listKey}:`));
            for (const path of paths.slice(1)) expect(named.some((p) => p.startsWith(`${path}.key:`) && p.includes(paths[0]!))).toBe(true);
          }
          return;
        }
        const { config } = loaded;
        const crmLists = config.crm.lists as Record<string, { sharedBy?: string[] }>;
        // The selection each (client, list) is exported from: the key the export passes to the CRM.
        const read = config.clients.flatMap((client) =>
          client.lists.map((list) => ({ client: client.key, selection: listRules(config, client.key, list).selectionKey ?? list.key })),
        );
        for (const x of read)
          for (const y of read) {
            if (x.client === y.client || x.selection !== y.selection) continue;
            expect(crmLists[x.selection]?.sharedBy).toEqual(expect.arrayContaining([x.client, y.client]));
          }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a client key in crm.lists naming no configured list, which would leave the list on the plain entry', () => {
    const raw = rawConfig({ clients: [{ key: 'a', lists: [{ key: 'newsletter', mode: 'own' }] }], sharing: {} });
    const lists = (raw.crm as { lists: Record<string, unknown> }).lists;
    lists['a/newsleter'] = lists['a/newsletter'];
    lists['z/newsletter'] = lists['a/newsletter'];
    expect(load(raw)).toEqual({
      problems: [
        'crm.lists.a/newsleter: client a has no list newsleter (its lists: newsletter)',
        `crm.lists.z/newsletter: no client z: a selection of one client's list is keyed "<client key>/<list key>" (clients: a)`,
      ],
    });
  });

  it('keeps a configuration of one client as it was: plain entries, read by their list key', () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => s.clients.length === 1),
        (shape) => {
          const plain: Shape = {
            clients: [{ ...shape.clients[0]!, lists: shape.clients[0]!.lists.map((l) => ({ ...l, mode: 'plain' })) }],
            sharing: {},
          };
          const loaded = load(rawConfig(plain));
          if (!('config' in loaded)) throw new Error(loaded.problems.join('\n'));
          for (const list of loaded.config.clients[0]!.lists) expect(listRules(loaded.config, 'a', list).selectionKey).toBe(list.key);
        },
      ),
    );
  });

  it('names both lists and the fix in the refusal', () => {
    const shape: Shape = {
      clients: [
        { key: 'a', lists: [{ key: 'newsletter', mode: 'plain' }] },
        {
          key: 'b',
          lists: [
            { key: 'offers', mode: 'own' },
            { key: 'newsletter', mode: 'plain' },
          ],
        },
      ],
      sharing: {},
    };
    expect(load(rawConfig(shape))).toEqual({
      problems: [
        'clients.1.lists.1.key: list newsletter of client b (clients.1.lists.1) and list newsletter of client a (clients.0.lists.0) would read one CRM selection, crm.lists.newsletter: opt-in ids are numbered per Optimizely client, so one client\'s list could be filled with people who consented to the other\'s; give each client its own selection as crm.lists["b/newsletter"] (and crm.lists["a/newsletter"]), or, if the clients truly share one consent, add "sharedBy": ["a","b"] on crm.lists.newsletter',
      ],
    });
  });
});
