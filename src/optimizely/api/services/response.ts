import { GET_VERSION, op, SESSION_ID, type ServiceSpec } from '../types';

export const RESPONSE_SERVICE: ServiceSpec = {
  service: 'Response',
  operations: [
    op('getBounceCounter', 'int', SESSION_ID, ['recipientId', 'string'], ['category', 'string']),
    op('getBounceCounterThreshold', 'int', SESSION_ID, ['category', 'string']),
    // "Exeeded" (sic) is the real operation name (API notes §5.3).
    op('isBounceCounterThresholdExeeded', 'boolean', SESSION_ID, ['recipientId', 'string']),
    op('resetBounceCounter', 'void', SESSION_ID, ['recipientId', 'string']),
    GET_VERSION,
  ],
};
