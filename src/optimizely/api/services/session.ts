import { GET_VERSION, op, SESSION_ID, type ServiceSpec } from '../types';

export const SESSION_SERVICE: ServiceSpec = {
  service: 'Session',
  operations: [
    op('login', 'string', ['mandatorId', 'long'], ['username', 'string'], ['password', 'string']),
    op('logout', 'void', SESSION_ID),
    op('getLocale', 'string', SESSION_ID),
    op('setLocale', 'void', SESSION_ID, ['locale', 'string']),
    op('getMediaType', 'string', SESSION_ID),
    op('setMediaType', 'void', SESSION_ID, ['mediaType', 'string']),
    GET_VERSION,
  ],
};
