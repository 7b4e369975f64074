import { GET_VERSION, LIST_ID, op, SESSION_ID, type ServiceSpec, type SoapType } from '../types';

const ID: [string, 'string'] = ['recipientId', 'string'];
const IDS: [string, 'string[]'] = ['recipientIds', 'string[]'];
const NAMES: [string, 'string[]'] = ['attributeNames', 'string[]'];
const OPTIN: [string, 'long'] = ['optinProcessId', 'long'];
const PAGING: [string, SoapType][] = [
  ['recipientFilterId', 'long'],
  ['orderByAttribute', 'string'],
  ['ascendingSortOrder', 'boolean'],
  ['pageStart', 'int'],
  ['pageSize', 'int'],
];

export const RECIPIENT_SERVICE: ServiceSpec = {
  service: 'Recipient',
  operations: [
    op('add2', 'int', SESSION_ID, LIST_ID, OPTIN, ID, ['address', 'string'], NAMES, ['attributeValues', 'string[]']),
    op('addAll3', 'int[]', SESSION_ID, LIST_ID, OPTIN, IDS, ['addresses', 'string[]'], NAMES, ['attributeValues', 'string[][]']),
    op('addAll3Flat', 'int[]', SESSION_ID, LIST_ID, OPTIN, IDS, ['addresses', 'string[]'], NAMES, ['flatAttributeValues', 'string[]']),
    op('setAttributes', 'void', SESSION_ID, LIST_ID, ID, NAMES, ['attributeValues', 'string[]']),
    op('setAttributesInBatch', 'void', SESSION_ID, LIST_ID, IDS, ['attributeNames', 'string[][]'], ['attributeValues', 'string[][]']),
    op('setAttributesInBatchFlat', 'void', SESSION_ID, LIST_ID, IDS, NAMES, ['flatAttributeValues', 'string[]']),
    op('getAttributes', 'string[]', SESSION_ID, LIST_ID, ID, NAMES),
    op('remove', 'void', SESSION_ID, LIST_ID, ID),
    op('removeAll', 'boolean[]', SESSION_ID, LIST_ID, IDS),
    op('contains', 'boolean', SESSION_ID, LIST_ID, ID),
    op('containsValid', 'boolean', SESSION_ID, LIST_ID, ID),
    op('getAll', 'string[][]', SESSION_ID, LIST_ID, NAMES),
    op('getAllFlat', 'string[]', SESSION_ID, LIST_ID, NAMES),
    op('getAllAdvanced', 'string[][]', SESSION_ID, LIST_ID, NAMES, ...PAGING),
    op('getAllAdvancedFlat', 'string[]', SESSION_ID, LIST_ID, NAMES, ...PAGING),
    op('getCount', 'int', SESSION_ID, LIST_ID, ['recipientFilterId', 'long']),
    op('clear', 'void', SESSION_ID, LIST_ID),
    op('removeBounced', 'int', SESSION_ID, LIST_ID),
    op('removeUnsubscribed', 'int', SESSION_ID, LIST_ID),
    op('removeBlacklisted', 'int', SESSION_ID, LIST_ID),
    GET_VERSION,
  ],
};
