// JSON-plain references and counts only: every input and output lands in workflow histories.

/** What `pruneStateStore` deleted, and the cut-off times it used (ISO). */
export interface PruneStateStoreOutput {
  snapshotsBefore: string;
  runsBefore: string;
  snapshots: number;
  runs: number;
  ledgerEntries: number;
  /** Keys of applied feedback events forgotten (older than the run retention). Absent before this count existed. */
  feedbackEventKeys?: number;
  /** Run artefact folders deleted (older than the run retention). Absent before this count existed. */
  runFolders?: number;
}
