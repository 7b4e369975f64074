/**
 * The values of one recipient of a list that Optimizely (or the request writer) refused during a
 * refill, remembered so that the next export leaves the recipient out while its values stay the same.
 */
export interface RefusedValues {
  client: string;
  listKey: string;
  /** `recipientIdKey` of the recipient id: ids that differ only in letter case are one recipient. */
  recipientKey: string;
  /** SHA-256 (hex) of the values that travel in addAll3 (`travellingValuesHash`): no recipient data. */
  valuesHash: string;
  /** The Optimizely field the fault named, or null when it named none. */
  field: string | null;
  /** The run whose refill was refused, and when. */
  runId: string;
  refusedAt: string;
}

/** What each list's refills were refused, per recipient: the latest refusal only. */
export interface RefusalStore {
  /** Upserts by (client, listKey, recipientKey): the latest refusal replaces an earlier one. */
  remember(entries: readonly RefusedValues[]): Promise<void>;
  /** A list's remembered refusals (a handful: at most 10 per refill batch). */
  forList(client: string, listKey: string): Promise<RefusedValues[]>;
  /** Forgets the refusals of these recipients (their values changed); returns how many. */
  forget(client: string, listKey: string, recipientKeys: readonly string[]): Promise<number>;
}
