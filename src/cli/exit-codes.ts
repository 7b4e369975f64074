/** The CLI's exit codes, documented in docs/cli.md; scripts rely on them. */
export const EXIT = {
  ok: 0,
  /** A run failed or ended not ready, or an unexpected error. */
  failure: 1,
  /** Bad command line or bad configuration. */
  usage: 2,
  /** An unknown list, client, run or recipient; nothing open to signal. */
  notFound: 3,
  /** No Temporal server answered. */
  noServer: 4,
  /** The list is busy (already syncing), or the open run refused the action (its reason is printed). */
  conflict: 5,
  /** No worker answered within the deadline: the run is open but nothing is executing it. */
  noWorker: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
