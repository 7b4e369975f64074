// Test controls for misbehaviour. All off by default; set through POST /admin/faults.
import { z } from 'zod';

export const faultSettingsSchema = z.object({
  /** Share of SOAP calls (0–1) answered with a simulated internal-error fault. */
  errorRate: z.number().min(0).max(1).default(0),
  /** The next N SOAP calls fail with a simulated internal-error fault. */
  failNextCalls: z.number().int().min(0).default(0),
  /** Added latency per SOAP call, in ms. */
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  /** Added latency for named operations (`Service.operation`, e.g. `Recipient.clear`), instead of `latencyMs`. */
  latencyByOperation: z.record(z.string(), z.number().int().min(0).max(600_000)).default({}),
  /** Every Nth call that carries a session finds it expired (0 = off). */
  sessionExpiryEveryNCalls: z.number().int().min(0).default(0),
  /** Share of SOAP calls (0–1) answered with HTTP 503 and no SOAP body. */
  unavailableRate: z.number().min(0).max(1).default(0),
  /** The next N SOAP calls are answered with HTTP 503. */
  unavailableNextCalls: z.number().int().min(0).default(0),
  /** Share of recipients (0–1) in add2/addAll3 that get result code 7 (general error). */
  recipientErrorRate: z.number().min(0).max(1).default(0),
  /**
   * add2/addAll3 calls holding any of these recipient ids are refused as a whole with a permanent
   * fault about that recipient's data (nothing of the call is written), as a server-side value check would.
   */
  refuseRecipients: z.array(z.string().min(1)).max(10_000).default([]),
  /** The next N calls of a named operation (`Service.operation`) get a permanent fault that is not about recipients. */
  refuseNextCallsOf: z.record(z.string(), z.number().int().min(0)).default({}),
  /**
   * How the ClosedLoop getters page, for tests of the readers' paging bounds (closed-loop-paging-check.ts):
   * `byStartRow` as Optimizely does; `repeatFirstPage` answers every call with the page from row 0,
   * whatever startRow says (a server that does not page by startRow); `endless` answers every call
   * with the page asked for (a runaway query). In both every page is full: the rows the window holds
   * there, then made-up rows up to numberOfRows (recipient `made-up-<row>@simulator.invalid`, mailing
   * 1000000000 + row, both known to no CRM; row: the row's place in the window).
   */
  closedLoopPaging: z.enum(['byStartRow', 'repeatFirstPage', 'endless']).default('byStartRow'),
  /** Concurrent SOAP calls per client before the limit answers (reference: 40). */
  maxConcurrentPerClient: z.number().int().min(1).default(40),
  /** Concurrent Recipient.getCount calls per client (reference: 10). */
  maxConcurrentGetCount: z.number().int().min(1).default(10),
  /** How an exceeded concurrency limit answers: a SOAP fault (HTTP 500), HTTP 503 or HTTP 429. */
  concurrencyResponse: z.enum(['fault', '503', '429']).default('fault'),
  /**
   * Seeds the draws of errorRate, unavailableRate and recipientErrorRate (fault-draws.ts): setting it
   * restarts the sequence, so the same seed injects the same faults in the same order of calls.
   */
  randomSeed: z.number().int().min(0).max(0xffffffff).optional(),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const defaultFaultSettings = (): FaultSettings => faultSettingsSchema.parse({});

/** Merges a partial update into the current settings, validating the result. */
export function updateFaultSettings(current: FaultSettings, patch: unknown): FaultSettings {
  return faultSettingsSchema.parse({ ...current, ...faultSettingsSchema.partial().parse(patch) });
}
