import { GET_VERSION, LIST_ID, op, SESSION_ID, type ServiceSpec } from '../types';

export const UNSUBSCRIBE_SERVICE: ServiceSpec = {
  service: 'Unsubscribe',
  operations: [
    op('add', 'void', SESSION_ID, LIST_ID, ['recipientId', 'string']),
    op('addAll', 'void', SESSION_ID, LIST_ID, ['recipientIds', 'string[]']),
    op('contains', 'boolean', SESSION_ID, ['recipientId', 'string']),
    op('containsAll', 'boolean[]', SESSION_ID, ['recipientIds', 'string[]']),
    op('remove', 'void', SESSION_ID, ['recipientId', 'string']),
    op('getCount', 'int', SESSION_ID),
    GET_VERSION,
  ],
};
