/** Thrown when a snapshot's rows no longer match the count and checksum recorded when it was written. */
export class SnapshotChecksumError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'SnapshotChecksumError';

  constructor(
    readonly snapshotRef: string,
    readonly expected: { count: number; checksum: string },
    readonly actual: { count: number; checksum: string },
  ) {
    super(
      `Snapshot ${snapshotRef} failed verification: expected ${expected.count} rows (sha256 ${expected.checksum}), ` +
        `found ${actual.count} rows (sha256 ${actual.checksum})`,
    );
  }
}
