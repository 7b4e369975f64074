import type { ClientConfig } from '../../src/config/config-schema';

/** A client with two synchronised lists (100 newsletter, 200 offers), as the response ingestion tests use it. */
export const TWO_LIST_CLIENT = {
  key: 'demo',
  lists: [
    { key: 'newsletter', listId: 100, optInId: '11', mediaType: 'email' },
    { key: 'offers', listId: 200, optInId: '12', mediaType: 'email' },
  ],
} as unknown as ClientConfig;
