/** Thrown when a snapshot reference is unknown, unfinished or deleted; retrying cannot help. */
export class SnapshotNotFoundError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'SnapshotNotFoundError';

  constructor(readonly snapshotRef: string) {
    super(`Snapshot ${snapshotRef} does not exist or was never finished`);
  }
}
