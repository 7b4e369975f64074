/**
 * Counts in-flight calls per key (a client, or a client's getCount calls) against a limit, and keeps
 * the peak of calls that arrived at once, refused ones included: what a test or benchmark reads to
 * see whether its callers kept to the limit (GET /admin/concurrency).
 */
export class ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();
  private readonly arrived = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  private refusals = 0;

  /** Counts a call arriving for `key` before the limit is checked; the returned function counts it out. */
  arrive(key: string): () => void {
    const now = (this.arrived.get(key) ?? 0) + 1;
    this.arrived.set(key, now);
    if (now > (this.peaks.get(key) ?? 0)) this.peaks.set(key, now);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.arrived.set(key, (this.arrived.get(key) ?? 1) - 1);
    };
  }

  tryAcquire(key: string, limit: number): boolean {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= limit) {
      this.refusals++;
      return false;
    }
    this.inFlight.set(key, current + 1);
    return true;
  }

  release(key: string): void {
    const current = this.inFlight.get(key) ?? 0;
    if (current <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, current - 1);
  }

  /** Peak calls at once per key since the last reset, and how many calls a limit refused. */
  observed(): { peaks: Record<string, number>; refused: number } {
    return { peaks: Object.fromEntries(this.peaks), refused: this.refusals };
  }

  resetObserved(): { peaks: Record<string, number>; refused: number } {
    this.peaks.clear();
    this.refusals = 0;
    return this.observed();
  }
}
