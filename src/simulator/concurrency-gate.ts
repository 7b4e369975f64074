/** Counts in-flight calls per key (a client, or a client's getCount calls) against a limit. */
export class ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();

  tryAcquire(key: string, limit: number): boolean {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= limit) return false;
    this.inFlight.set(key, current + 1);
    return true;
  }

  release(key: string): void {
    const current = this.inFlight.get(key) ?? 0;
    if (current <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, current - 1);
  }
}
