import { DEMO_ATTRIBUTES, DEMO_LISTS, demoCrmLists } from './demo-lists';

// The demo configuration (config/demo.json) and the simulator seed it runs against
// (config/demo-simulator-seed.json) come from here; a unit test keeps the committed files equal.

export const DEMO_CLIENT = { key: 'demo', mandatorId: 1234, username: 'api-user', port: 8089 } as const;
export const DEMO_PASSWORD_ENV = 'CAMPAIGN_SYNC_DEMO_PASSWORD';
/** The simulator's demo password; only ever a default for the embedded demo. */
export const DEMO_PASSWORD = 'demo-secret';
const LIST_IDS: Record<string, number> = { newsletter: 100, offers: 200 };

export function demoConfig(): Record<string, unknown> {
  return {
    dataDir: '../.data/demo',
    clients: [
      {
        key: DEMO_CLIENT.key,
        endpoint: `http://127.0.0.1:${DEMO_CLIENT.port}`,
        mandatorId: DEMO_CLIENT.mandatorId,
        username: DEMO_CLIENT.username,
        password: { env: DEMO_PASSWORD_ENV },
        concurrency: 8,
        listParallelism: 2,
        schedule: { time: '03:30', timeZone: 'Europe/Berlin' },
        lists: DEMO_LISTS.map((list) => ({
          key: list.listKey,
          listId: LIST_IDS[list.listKey],
          optInId: list.optInId,
          mediaType: list.mediaType,
        })),
      },
    ],
    crm: { kind: 'sqlite', file: '../.data/demo/crm.sqlite', lists: demoCrmLists() },
    store: { kind: 'sqlite', file: '../.data/demo/state.sqlite' },
  };
}

export function demoSimulatorSeed(): Record<string, unknown> {
  const fields = ['email', 'opt-in-id', 'description', 'media-type', 'entity-type', 'entity-id', ...Object.values(DEMO_ATTRIBUTES)];
  return {
    clients: [
      {
        mandatorId: DEMO_CLIENT.mandatorId,
        username: DEMO_CLIENT.username,
        password: DEMO_PASSWORD,
        optinProcesses: [{ id: 11, type: 'double' }],
        lists: DEMO_LISTS.map((list) => ({ id: LIST_IDS[list.listKey], name: list.name, type: 'regular', fields })),
      },
    ],
  };
}
