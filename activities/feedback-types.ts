// JSON-plain references and counts only: every input and output lands in workflow histories.

export interface ImportFeedbackInput {
  client: string;
  runId: string;
}

export interface ImportFeedbackOutput {
  /**
   * Consent latency of the unsubscribes and out-bounces this import recorded first: minutes from
   * Optimizely's event time to the suppression ledger -> how many (the metric's source; counts only).
   */
  consentLatencyMinutes?: Record<string, number>;
  bounces: number;
  unsubscribes: number;
  /** Rows that changed the CRM (SQL adapters). */
  applied: number;
  /** Rows written to the CSV exchange's outbox: the CRM imports them on its own. Absent before this count existed. */
  handed?: number;
  alreadyApplied: number;
  /** Rows whose event was applied before (the ClosedLoop overlap, a re-dropped row). */
  repeated?: number;
  unknownRecipient: number;
  unknownEntity: number;
  /**
   * Opt-outs not (fully) applied: sent on a list since removed from the configuration by a run that
   * recorded neither its Optimizely list id nor its consent. Absent before this count existed.
   */
  unresolvedOptOut?: number;
  /** Rows rejected by a check (all reasons); their line numbers are in the worker log and the run folder. */
  invalidRows: number;
  /** Rejected rows by reason (column_count, missing_recipient_id, invalid_list_id, invalid_timestamp). */
  rejected?: Record<string, number>;
  /**
   * What happened to the files in the feedback folder (names and reasons only): the first
   * DROPPED_NAMES_LISTED names of each kind, and how many there were in `counts` (absent before the
   * lists were bounded: then the lists are whole).
   */
  dropped?: {
    processed: string[];
    duplicates: string[];
    quarantined: Array<{ name: string; reason: string }>;
    /** Changed while read (still being written): applied as far as read, left in the folder for the next run. */
    changing?: string[];
    counts?: DroppedCounts;
  };
  /** Optimizely server time up to which feedback has been applied (ISO). */
  watermark: string;
  /** Where the run's bounces.csv and unsubscribes.csv were kept (paths, not content), and the first dropped files' copies. */
  files: string[];
}

export interface DroppedCounts {
  processed: number;
  duplicates: number;
  quarantined: number;
  changing: number;
}
