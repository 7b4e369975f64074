// A share of a call budget that several worker processes hold together through leases in the state
// store. Slots are claimed in batches (up to the local demand) and handed out here without a round
// trip; slots not reused within `lingerMs` go back in one claim. A worker that waits for slots polls
// with a short backoff; one that holds slots claims every `checkEveryMs` to renew its lease and, when
// another worker is starving, shrinks to its fair share as its calls end.
import { OptimizelyTransientError } from '../../errors/optimizely-transient-error';
import type { SlotLeaseStore } from '../../store/slot-lease-types';
import type { CallPermits } from '../client/call-permits';

export interface LeasedSemaphoreOptions {
  leases: Pick<SlotLeaseStore, 'claim'>;
  budget: string;
  holder: string;
  limit: number;
  leaseMs: number;
  /** Slots idle this long go back to the budget. */
  lingerMs?: number;
  /** How often a holder of slots claims again (renewal and fairness); at most a quarter of the lease. */
  checkEveryMs?: number;
  /** Backoff of a worker waiting for slots, doubled per empty claim up to the maximum. */
  pollMinMs?: number;
  pollMaxMs?: number;
  now?: () => number;
}

interface Waiter {
  grant(): void;
  fail(error: unknown): void;
}

/** Slots are trusted for this share of the lease after the claim that renewed them was sent. */
const TRUSTED_SHARE = 0.75;

export class LeasedSemaphore implements CallPermits {
  private allowance = 0;
  private active = 0;
  private cap: number;
  private trustedUntil = 0;
  private readonly waiters: Waiter[] = [];
  private claiming = false;
  private claimAgain = false;
  /** The slots the claim on its way to the store asks for: more than that may be given away by it. */
  private wantInFlight?: number;
  private pollMs: number;
  private next?: { timer: NodeJS.Timeout; at: number };
  private trustTimer?: NodeJS.Timeout;
  private epoch = new AbortController();
  private closed = false;
  private readonly now: () => number;
  private readonly lingerMs: number;
  private readonly checkEveryMs: number;

  constructor(private readonly options: LeasedSemaphoreOptions) {
    this.cap = options.limit;
    this.now = options.now ?? Date.now;
    this.lingerMs = options.lingerMs ?? 20;
    this.checkEveryMs = Math.min(options.checkEveryMs ?? 1000, options.leaseMs / 4);
    this.pollMs = options.pollMinMs ?? 10;
  }

  get inUse(): number {
    return this.active;
  }

  /** Slots this process holds per its last claim. */
  get held(): number {
    return this.allowance;
  }

  get revoked(): AbortSignal {
    return this.epoch.signal;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return Promise.reject(new Error(`call budget ${this.options.budget} is closed`));
    if (this.waiters.length === 0 && this.active < this.usable()) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.active++;
          resolve(this.releaser());
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.claimIn(0);
    });
  }

  /** Gives every slot back; waiting calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.next) clearTimeout(this.next.timer);
    clearTimeout(this.trustTimer);
    this.failWaiters(new Error(`call budget ${this.options.budget} is closed`));
    const { leases, budget, holder, limit, leaseMs } = this.options;
    await leases.claim({ budget, holder, limit, want: 0, leaseMs }).catch(() => undefined);
    this.allowance = 0;
  }

  /**
   * Slots that may start a call now: none once the lease is no longer vouched for, and no more than
   * the claim on its way asks for. A slot that claim gives back may be another worker's as soon as it
   * lands, so a call started on it meanwhile put the budget over its limit across workers.
   */
  private usable(): number {
    const vouched = this.now() < this.trustedUntil ? Math.min(this.allowance, this.cap) : 0;
    return this.wantInFlight === undefined ? vouched : Math.min(vouched, this.wantInFlight);
  }

  /** What to hold: every slot in use, plus the waiting demand up to the fair share. */
  private desired(): number {
    return Math.max(this.active, Math.min(this.active + this.waiters.length, this.cap, this.options.limit));
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.grantWaiters();
      // Over the fair share, give back at once; otherwise only what stays idle for lingerMs.
      if (this.allowance > this.desired()) this.claimIn(this.allowance > this.cap ? 0 : this.lingerMs);
    };
  }

  private grantWaiters(): void {
    while (this.waiters.length > 0 && this.active < this.usable()) this.waiters.shift()?.grant();
  }

  private failWaiters(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.fail(error);
  }

  /** One claim in `delayMs`; an earlier scheduled one wins, and one running now runs again. */
  private claimIn(delayMs: number): void {
    if (this.closed) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    const at = this.now() + delayMs;
    if (this.next && this.next.at <= at) return;
    if (this.next) clearTimeout(this.next.timer);
    const timer = setTimeout(() => {
      this.next = undefined;
      void this.claim();
    }, delayMs);
    // Waiting calls keep the process alive; renewals alone do not.
    if (this.waiters.length === 0) timer.unref();
    this.next = { timer, at };
  }

  private async claim(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.claimAgain = false;
        if (!(await this.claimOnce())) break;
      } while (this.claimAgain && !this.closed);
    } finally {
      this.claiming = false;
    }
    this.scheduleNext();
  }

  private async claimOnce(): Promise<boolean> {
    const { leases, budget, holder, limit, leaseMs } = this.options;
    const sentAt = this.now();
    const want = this.desired();
    let result;
    try {
      this.wantInFlight = want;
      result = await leases.claim({ budget, holder, limit, want, leaseMs });
    } catch (cause) {
      // Never guess: a call that cannot be given a slot the store vouches for fails, retryably.
      this.failWaiters(new OptimizelyTransientError(`the shared call budget ${budget} could not be claimed (state store)`, { cause }));
      return false;
    } finally {
      this.wantInFlight = undefined;
    }
    if (this.closed) return false;
    this.allowance = result.held;
    this.cap = result.starving > 0 ? Math.ceil(limit / Math.max(1, result.contenders)) : limit;
    this.trust(sentAt + leaseMs * TRUSTED_SHARE);
    this.grantWaiters();
    return true;
  }

  private scheduleNext(): void {
    if (this.waiters.length > 0) {
      const delay = this.pollMs * (0.5 + Math.random());
      this.pollMs = Math.min(this.options.pollMaxMs ?? 200, this.pollMs * 2);
      return this.claimIn(delay);
    }
    this.pollMs = this.options.pollMinMs ?? 10;
    if (this.allowance > this.desired()) return this.claimIn(this.lingerMs);
    if (this.allowance > 0) this.claimIn(this.checkEveryMs);
  }

  /** Calls started on slots whose lease may lapse are stopped before another worker can get them. */
  private trust(until: number): void {
    this.trustedUntil = until;
    clearTimeout(this.trustTimer);
    this.trustTimer = setTimeout(
      () => {
        // Early by the clock we compare with (a timer counts from the event loop's cached time, which
        // lags the clock by the tick's work, up to tens of ms on a loaded machine): wait the rest.
        // Returning instead left the slots trusted for good once no renewal came (store down).
        if (this.now() < this.trustedUntil) return this.trust(this.trustedUntil);
        const lost = this.epoch;
        this.epoch = new AbortController();
        lost.abort(new OptimizelyTransientError(`the lease on the shared call budget ${this.options.budget} could not be renewed`));
      },
      Math.max(0, until - this.now()),
    );
    this.trustTimer.unref();
  }
}
