// Handlers by service and operation; every operation of the API table has one (checked by a test).
import type { Handler, SessionlessHandler } from '../context';
import { blacklistHandlers } from './blacklist';
import { closedLoopHandlers } from './closed-loop';
import { optinProcessHandlers } from './optin-process';
import { recipientHandlers } from './recipient';
import { recipientListHandlers } from './recipient-list';
import { responseHandlers } from './response';
import { login, sessionHandlers, SIMULATOR_VERSION } from './session';
import { unsubscribeHandlers } from './unsubscribe';

export const HANDLERS: Record<string, Record<string, Handler>> = {
  Session: sessionHandlers,
  Recipient: recipientHandlers,
  RecipientList: recipientListHandlers,
  Unsubscribe: unsubscribeHandlers,
  Blacklist: blacklistHandlers,
  Response: responseHandlers,
  OptinProcess: optinProcessHandlers,
  ClosedLoop: closedLoopHandlers,
};

/** Operations without a sessionId. */
export const SESSIONLESS: Record<string, SessionlessHandler> = {
  login,
  getVersion: () => SIMULATOR_VERSION,
};
