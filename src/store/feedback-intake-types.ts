/** What became of a dropped feedback file: read and applied, or set aside as unreadable. */
export type FeedbackFileStatus = 'processed' | 'quarantined';

/** One dropped feedback file, keyed by client and the SHA-256 of its bytes. */
export interface FeedbackFileRecord {
  client: string;
  /** SHA-256 of the file's bytes, hex. */
  checksum: string;
  name: string;
  size: number;
  runId: string;
  status: FeedbackFileStatus;
  /** Why it was quarantined; '' when processed. */
  reason: string;
  recordedAt: string;
}
