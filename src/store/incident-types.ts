/** An alert incident is open (the condition holds) or resolved (it cleared). */
export type IncidentState = 'open' | 'resolved';

/**
 * One incident per client and key (e.g. `list-failed:newsletter`): its current state and the state the
 * channels were last told about. A notice goes out only when the two differ, so retries and repeated
 * reports of the same condition send nothing more.
 */
export interface IncidentRecord {
  client: string;
  key: string;
  state: IncidentState;
  /** The state last notified; absent when no notice went out yet (or none was needed). */
  notified?: IncidentState;
  /** The run that last changed the state. */
  runId: string;
  /** When the state last changed (ISO). */
  changedAt: string;
}

/** Incident state per client and key. */
export interface IncidentStore {
  get(client: string, key: string): Promise<IncidentRecord | undefined>;
  /** Inserts or replaces the record of (`client`, `key`). */
  put(record: IncidentRecord): Promise<void>;
}
