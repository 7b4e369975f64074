// Builds the SOAP implementation of OptimizelyPort for one Optimizely client (mandator).
import { z } from 'zod';
import { OptimizelyArgumentError } from '../../errors/optimizely-argument-error';
import { clientFromCheckedOptions, type CheckedClientOptions, type OptimizelyClientDeps } from './client-from-checked-options';
import type { OptimizelyPort } from './optimizely-port';

export { MAX_CONCURRENT_READS, type OptimizelyClientDeps } from './client-from-checked-options';

/** Optimizely allows 40 parallel SOAP connections per client (reference 2). */
export const MAX_CONCURRENCY = 40;

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

/** Checks the options (a clear error naming each bad one, never the password) and builds the client. */
export function createOptimizelyClient(options: OptimizelyClientOptions, deps: OptimizelyClientDeps = {}): OptimizelyPort {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    // Paths and messages only: the issues never echo the password.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new OptimizelyArgumentError(`invalid Optimizely client options: ${problems}`);
  }
  return clientFromCheckedOptions(parsed.data satisfies CheckedClientOptions, deps);
}
