import type { SentBatch } from '../store/ledger-types';

/**
 * The most sent-batch rows the refill writes with one statement: on PostgreSQL every write is a round
 * trip that wakes the server's backend on the worker's cores, about 1 ms of the server's CPU per
 * batch when each batch is written alone (bench/soap-refill README, `refill-cpu.ts`).
 */
export const SENT_BATCH_GROUP = 8;

export interface SentBatchGroups {
  /** Queues a batch's row; resolves once the group holding it is written, rejects if that write fails. */
  add(batch: SentBatch): Promise<void>;
  /** The chunk starts no more batches: writes what is queued now, and every row added later at once. */
  end(): void;
}

interface Queued {
  batch: SentBatch;
  written: () => void;
  failed: (error: unknown) => void;
}

/**
 * Collects rows and writes them `size` at a time with `write` (all or none), one write after
 * another: a group is written only after the previous one settled, so rows are never written out of
 * the order they were queued in, and a failed write fails its own rows only.
 */
export function sentBatchGroups(write: (batches: readonly SentBatch[]) => Promise<unknown>, size: number): SentBatchGroups {
  let queued: Queued[] = [];
  let ended = false;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (queued.length === 0) return;
    const group = queued;
    queued = [];
    writing = writing
      .then(() => write(group.map((q) => q.batch)))
      .then(
        () => group.forEach((q) => q.written()),
        (error: unknown) => group.forEach((q) => q.failed(error)),
      );
  };
  return {
    add(batch) {
      const done = new Promise<void>((written, failed) => queued.push({ batch, written, failed }));
      if (ended || queued.length >= size) flush();
      return done;
    },
    end() {
      ended = true;
      flush();
    },
  };
}
