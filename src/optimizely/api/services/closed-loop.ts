import { GET_VERSION, op, SESSION_ID, type ServiceSpec, type SoapType } from '../types';

// Every response getter has the same signature (API notes §6.1); rows are laid out as in
// ../closed-loop-columns.ts.
const WINDOW: [string, SoapType][] = [SESSION_ID, ['since', 'long'], ['until', 'long'], ['startRow', 'int'], ['numberOfRows', 'int']];

export const CLOSED_LOOP_GETTERS = [
  'getMailings',
  'getRecipients',
  'getOpens',
  'getClicks',
  'getResponses',
  'getUnsubscribes',
  'getMailingUnsubscribes',
  'getOutBounces',
] as const;
export type ClosedLoopGetter = (typeof CLOSED_LOOP_GETTERS)[number];

export const CLOSED_LOOP_SERVICE: ServiceSpec = {
  service: 'ClosedLoop',
  operations: [
    op('getCurrentTime', 'long', SESSION_ID),
    ...CLOSED_LOOP_GETTERS.map((name) => op(name, 'string[][]', ...WINDOW)),
    GET_VERSION,
  ],
};
