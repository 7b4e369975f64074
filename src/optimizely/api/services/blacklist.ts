import { GET_VERSION, op, SESSION_ID, type ServiceSpec } from '../types';

export const BLACKLIST_SERVICE: ServiceSpec = {
  service: 'Blacklist',
  operations: [
    op('add', 'void', SESSION_ID, ['entry', 'string'], ['reason', 'string']),
    op('remove', 'void', SESSION_ID, ['entry', 'string']),
    // contains: exact entry; isBlacklisted: pattern match of an address (API notes §5.4).
    op('contains', 'boolean', SESSION_ID, ['entry', 'string']),
    op('isBlacklisted', 'boolean', SESSION_ID, ['address', 'string']),
    op('getAllEntries', 'string[]', SESSION_ID),
    op('getCount', 'int', SESSION_ID),
    GET_VERSION,
  ],
};
