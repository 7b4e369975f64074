import { GET_VERSION, LIST_ID, op, SESSION_ID, type ServiceSpec } from '../types';

export const RECIPIENT_LIST_SERVICE: ServiceSpec = {
  service: 'RecipientList',
  operations: [
    op('getAllIds', 'long[]', SESSION_ID),
    op('getName', 'string', SESSION_ID, LIST_ID),
    op('getDescription', 'string', SESSION_ID, LIST_ID),
    op('getAttributeNames', 'string[]', SESSION_ID, LIST_ID, ['locale', 'string']),
    // Counts lists, not recipients (API notes §4).
    op('getCount', 'int', SESSION_ID, ['includeTestLists', 'boolean']),
    op('isTestRecipientList', 'boolean', SESSION_ID, LIST_ID),
    GET_VERSION,
  ],
};
