/**
 * Which lists this worker process is refilling right now, so that work outside any clear-to-ready
 * window gives way to them. On a CPU-bound worker every millisecond spent exporting another list or
 * writing ledger entries lengthens the time a cleared list stays incomplete in Optimizely; waiting
 * costs that other work nothing a user sees. Process-local on purpose: it orders this worker's CPU,
 * not the cluster's.
 */
export class WindowPriority {
  private openWindows = 0;
  private readonly waiters = new Set<() => void>();

  /** True while at least one refill runs in this process. */
  get open(): boolean {
    return this.openWindows > 0;
  }

  /** Runs a refill with its window marked open. */
  async refilling<T>(refill: () => Promise<T>): Promise<T> {
    this.openWindows += 1;
    try {
      return await refill();
    } finally {
      this.openWindows -= 1;
      if (this.openWindows === 0) for (const wake of [...this.waiters]) wake();
    }
  }

  /** Waits until no window is open, calling `onWait` (e.g. a heartbeat) after each `stepMs` of waiting. */
  async waitUntilClosed(onWait: () => void, stepMs = 1000): Promise<void> {
    while (await this.giveWay(stepMs)) onWait();
  }

  /**
   * Waits while a window is open, at most `maxMs` (so the caller can heartbeat and never starves).
   * Resolves false at once when no window is open, true when it waited.
   */
  giveWay(maxMs: number): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(wake, maxMs);
      this.waiters.add(wake);
    });
  }
}
