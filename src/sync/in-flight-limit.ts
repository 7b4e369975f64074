/**
 * Tasks started one by one with at most `limit` in flight, and the first failure kept: the refill
 * chunk's batches (refill-chunk.ts) and the unsubscribe count before the clear (unsubscribe-check.ts).
 * Every task settles into the tracker, so none is left unhandled; a caller stops starting tasks once
 * `failed` is set, waits for the ones in flight (`idle`) and then throws the first failure
 * (`throwIfFailed`): what was started is finished before the error goes up, so a retry knows what ran.
 */
export interface InFlightLimit {
  /** Waits while `limit` tasks are in flight; at once below it. */
  room(): Promise<void>;
  /** Tracks a started task; its rejection becomes the failure unless one came first. */
  add(task: Promise<unknown>): void;
  /** A failure outside the tasks (reading what the next task works on); the first one is kept. */
  fail(error: unknown): void;
  /** Whether a task or `fail` failed. */
  readonly failed: boolean;
  /** Waits until no task is in flight; never throws. */
  idle(): Promise<void>;
  /** Throws the first failure, if any. */
  throwIfFailed(): void;
}

export function inFlightLimit(limit: number): InFlightLimit {
  const inFlight = new Set<Promise<void>>();
  // Wrapped: a task may reject with undefined, which is still a failure.
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => void (failure ??= { error });
  return {
    async room() {
      // A limit below 1 still lets one task run at a time, as the loops did before this helper.
      while (inFlight.size > 0 && inFlight.size >= limit) await Promise.race(inFlight);
    },
    add(task) {
      const tracked: Promise<void> = task.then(
        () => undefined,
        (error: unknown) => fail(error),
      );
      // Removed before anyone waiting in `room` or `idle` resumes.
      const settled = tracked.finally(() => inFlight.delete(settled));
      inFlight.add(settled);
    },
    fail,
    get failed() {
      return failure !== undefined;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    throwIfFailed() {
      if (failure) throw failure.error;
    },
  };
}
