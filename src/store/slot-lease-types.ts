/**
 * One holder's request to a shared call budget (e.g. an Optimizely client's 40 connections): the total
 * number of slots it wants to hold now. More than it holds takes free slots; fewer gives slots back.
 */
export interface SlotClaim {
  /** The budget's name, e.g. `calls:1234@https://api.campaign.episerver.net`. */
  budget: string;
  /** Who holds the slots: one worker process's budget (src/optimizely/budget). */
  holder: string;
  /** The budget's size; every holder passes the same one. */
  limit: number;
  /** Slots wanted in total (in use plus waiting), 0 to give everything back. */
  want: number;
  /** How long the holder's slots stay reserved without another claim; a dead holder's slots return after it. */
  leaseMs: number;
}

export interface SlotClaimResult {
  /** Slots the holder now holds: never more than `want`, and all holders together never more than `limit`. */
  held: number;
  /** Live holders that want at least one slot, this one included when it does. */
  contenders: number;
  /** Live holders other than this one that want more slots than they hold. */
  starving: number;
}

/** A live lease, for operators and tests. */
export interface SlotLease {
  holder: string;
  slots: number;
  wanted: number;
}

/**
 * Leases on shared call budgets, so several worker processes share one limit (docs/operations.md,
 * "One Optimizely budget per client"). Claims of one budget are serialised; expired leases are
 * reclaimed by the next claim. Lease times are the database server's clock, so hosts need not agree.
 */
export interface SlotLeaseStore {
  claim(request: SlotClaim): Promise<SlotClaimResult>;
  /** The budget's unexpired leases, by holder. */
  leases(budget: string): Promise<SlotLease[]>;
}
