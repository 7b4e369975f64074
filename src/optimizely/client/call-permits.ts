/**
 * Where a SOAP call takes its slot of the client's Optimizely budget: a {@link Semaphore} in this
 * process, or a leased share of a budget all workers hold together (src/optimizely/budget).
 */
export interface CallPermits {
  /** Resolves with a release function once a slot is free; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /**
   * Aborted when the slots held can no longer be vouched for (a lease that could not be renewed in
   * time): calls holding them stop before another worker can be given the same slots. Read at acquire.
   */
  readonly revoked?: AbortSignal;
  /** Gives held slots back (a leased budget); the local semaphore has nothing to give back. */
  close?(): Promise<void>;
}

/** The two budgets of one Optimizely client: every call, and the calls the 10-concurrent read limit covers. */
export interface ClientPermits {
  calls: CallPermits;
  reads: CallPermits;
}
