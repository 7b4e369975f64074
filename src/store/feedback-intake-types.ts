/**
 * What became of a dropped feedback file: read and applied (`processed`), set aside unapplied
 * (`quarantined`), or applied and still to be set aside in quarantine/ for review (`review`: the
 * intent, recorded before the move, so an import that dies before it finishes the move and reports
 * the file instead of skipping it as seen before; `processed` with the reason once it is done).
 */
export type FeedbackFileStatus = 'processed' | 'quarantined' | 'review';

/** One dropped feedback file, keyed by client and the SHA-256 of its bytes. */
export interface FeedbackFileRecord {
  client: string;
  /** SHA-256 of the file's bytes, hex. */
  checksum: string;
  name: string;
  size: number;
  runId: string;
  status: FeedbackFileStatus;
  /** Why it was quarantined or set aside for review; '' when processed and not set aside. */
  reason: string;
  recordedAt: string;
}
