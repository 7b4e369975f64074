/** Thrown when a snapshot reference is unknown, unfinished or deleted; retrying cannot help. */
export class SnapshotNotFoundError extends Error {
  override readonly name = 'SnapshotNotFoundError';

  constructor(readonly snapshotRef: string) {
    super(`Snapshot ${snapshotRef} does not exist or was never finished`);
  }
}
