// The SOAP implementation of OptimizelyPort from options already checked (create-optimizely-client.ts
// checks them). A module of its own so that a worker thread's client (src/plan/live-read-thread.ts)
// does not load the options' schema and its library: about 0.15 s of CPU at every thread start.
import { OptimizelyResponseError } from '../../errors/optimizely-response-error';
import type { ClientPermits } from './call-permits';
import { createHttpTransport, type SoapTransport } from './http-transport';
import type { OptimizelyPort, OptimizelyThreadSpec } from './optimizely-port';
import { Semaphore } from './semaphore';
import { closedLoopService } from './services/closed-loop';
import { optinProcessService } from './services/optin-process';
import { recipientService } from './services/recipient';
import { recipientListService } from './services/recipient-list';
import { unsubscribeService } from './services/unsubscribe';
import { SessionManager } from './session-manager';
import { SoapCaller } from './soap-caller';

/** …and 10 concurrent `Recipient.getCount` calls per client (reference, Recipient.getCount). */
export const MAX_CONCURRENT_READS = 10;

/**
 * What a login answer must be to be used as the session id: 1–128 visible ASCII characters (real ids
 * are 15–16 hex digits, API notes §2). The id travels in every later request: a control character in
 * it made every call fail as a request the client could not encode (permanent, and blaming the call),
 * and a 200 KB id was sent again with each one. Anything else is the login's wrong answer.
 */
const SESSION_ID = /^[\x21-\x7e]{1,128}$/;

/** Every option, checked, defaults filled in. */
export type CheckedClientOptions = OptimizelyThreadSpec['options'];

/** Seams: a clock for session age, a transport, and the budget (a shared one; else a semaphore in this process). */
export interface OptimizelyClientDeps {
  now?: () => number;
  transport?: SoapTransport;
  permits?: ClientPermits;
  /** Wait before a read's second try within the call (doubled before the third); tests shorten it. */
  readRetryDelayMs?: number;
}

/**
 * The client from options createOptimizelyClient has checked (with every default filled in): what a
 * reading thread builds from its spec (OptimizelyThreadSpec), without loading the schema library.
 */
export function clientFromCheckedOptions(config: CheckedClientOptions, deps: OptimizelyClientDeps = {}): OptimizelyPort {
  const transport = deps.transport ?? createHttpTransport({ maxSockets: config.concurrency });
  const permits: ClientPermits = deps.permits ?? {
    calls: new Semaphore(config.concurrency),
    reads: new Semaphore(Math.min(MAX_CONCURRENT_READS, config.concurrency)),
  };
  const caller = new SoapCaller({
    baseUrl: config.baseUrl.replace(/\/+$/, '').replace(/\/soap11$/, ''),
    transport,
    permits,
    timeoutMs: config.timeoutMs,
    naming: config.paramNaming,
    readRetryDelayMs: deps.readRetryDelayMs,
  });
  const sessions = new SessionManager({
    login: async () => {
      const id = await caller.callRaw('Session', 'login', [config.mandatorId, config.username, config.password]);
      if (typeof id !== 'string' || !SESSION_ID.test(id))
        throw new OptimizelyResponseError('login answered no usable session id', { service: 'Session', operation: 'login' });
      return id;
    },
    logout: async (sessionId) => {
      await caller.callRaw('Session', 'logout', [sessionId], { timeoutMs: 5_000 });
    },
    renewAfterMs: config.sessionRenewAfterMs,
    now: deps.now,
  });
  caller.useSessions(sessions);
  return {
    mandatorId: config.mandatorId,
    recipient: recipientService(caller),
    recipientList: recipientListService(caller),
    optinProcess: optinProcessService(caller),
    closedLoop: closedLoopService(caller),
    unsubscribe: unsubscribeService(caller),
    login: async () => {
      await sessions.sessionId();
    },
    close: async () => {
      await sessions.close();
      caller.close();
      transport.close();
      await Promise.all([permits.calls.close?.(), permits.reads.close?.()]);
    },
    threadSpec: () => ({ options: { ...config }, permits }),
  };
}
