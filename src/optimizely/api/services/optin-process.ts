import { GET_VERSION, op, SESSION_ID, type ServiceSpec } from '../types';

const ID: [string, 'long'] = ['optinProcessId', 'long'];

export const OPTIN_PROCESS_SERVICE: ServiceSpec = {
  service: 'OptinProcess',
  operations: [
    op('getIds', 'long[]', SESSION_ID),
    op('getName', 'string', SESSION_ID, ID),
    op('getType', 'string', SESSION_ID, ID),
    op('getDescription', 'string', SESSION_ID, ID),
    GET_VERSION,
  ],
};
