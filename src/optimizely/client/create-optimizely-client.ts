// Builds the SOAP implementation of OptimizelyPort for one Optimizely client (mandator).
import { z } from 'zod';
import { OptimizelyArgumentError } from '../../errors/optimizely-argument-error';
import type { ClientPermits } from './call-permits';
import { createHttpTransport, type SoapTransport } from './http-transport';
import type { OptimizelyPort } from './optimizely-port';
import { Semaphore } from './semaphore';
import { closedLoopService } from './services/closed-loop';
import { optinProcessService } from './services/optin-process';
import { recipientService } from './services/recipient';
import { recipientListService } from './services/recipient-list';
import { unsubscribeService } from './services/unsubscribe';
import { SessionManager } from './session-manager';
import { SoapCaller } from './soap-caller';

/** Optimizely allows 40 parallel SOAP connections per client (reference 2). */
export const MAX_CONCURRENCY = 40;
/** …and 10 concurrent `Recipient.getCount` calls per client (reference, Recipient.getCount). */
export const MAX_CONCURRENT_READS = 10;

const optionsSchema = z.object({
  /** e.g. https://api.campaign.episerver.net or the simulator's url; /soap11/Rpc<Service> is appended. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  mandatorId: z.number().int().positive(),
  username: z.string().min(1),
  password: z.string().min(1),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(8),
  /** Per HTTP exchange; a getAllAdvanced page of 1000 wide rows can take a while on the real service. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Sessions die after 20 minutes; renewing at 15 leaves room for a slow batch. */
  sessionRenewAfterMs: z
    .number()
    .int()
    .positive()
    .max(20 * 60_000)
    .default(15 * 60_000),
  /** 'named' (table names) or 'positional' (in0…); the server binds both (reference 1.3). */
  paramNaming: z.enum(['named', 'positional']).default('named'),
});

export type OptimizelyClientOptions = z.input<typeof optionsSchema>;

/** Seams: a clock for session age, a transport, and the budget (a shared one; else a semaphore in this process). */
export interface OptimizelyClientDeps {
  now?: () => number;
  transport?: SoapTransport;
  permits?: ClientPermits;
}

export function createOptimizelyClient(options: OptimizelyClientOptions, deps: OptimizelyClientDeps = {}): OptimizelyPort {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    // Paths and messages only: the issues never echo the password.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new OptimizelyArgumentError(`invalid Optimizely client options: ${problems}`);
  }
  const config = parsed.data;
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
  });
  const sessions = new SessionManager({
    login: async () => {
      const id = await caller.callRaw('Session', 'login', [config.mandatorId, config.username, config.password]);
      if (typeof id !== 'string' || id === '')
        throw new OptimizelyArgumentError('login returned no session id', { service: 'Session', operation: 'login' });
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
