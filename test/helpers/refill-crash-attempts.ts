// A refill chunk under crash points as Temporal runs it: each attempt resumes from the last heartbeat
// that reached the server, which may be older than the last checkpoint a dead attempt reported
// (heartbeats are throttled); then the deferred sent ledger, whose activity may die too.
import fc from 'fast-check';
import type { StateStore } from '../../src/store';
import type { LedgerEntry } from '../../src/store/ledger-types';
import { recordSentLedger } from '../../src/sync/record-sent-ledger';
import { refillChunk, type RefillCheckpoint } from '../../src/sync/refill-chunk';
import { aCrashPoint, runUntilDone, type CrashAttempt, type CrashPoint } from './crash-points';
import type { FakeOptimizely } from './fake-optimizely';
import { refillChunkInput } from './refill-fixtures';

/** What a refill crash property draws besides its rows and its world. */
export const refillCrashRun = {
  concurrency: fc.integer({ min: 1, max: 3 }),
  deferLedger: fc.boolean(),
  // A chunk of three batches makes about 15 outside calls.
  crashes: fc.array(aCrashPoint(16), { minLength: 1, maxLength: 3 }),
  // Checkpoints of a dead attempt that never reached the server, the newest first.
  lostHeartbeats: fc.constantFrom(0, 0, 1, 2),
};
export interface RefillCrashRun {
  concurrency: number;
  deferLedger: boolean;
  crashes: CrashPoint[];
  lostHeartbeats: number;
}

/**
 * Refills demo's newsletter snapshot (batches [0, endBatch) of `runId`) under `run`'s crash points,
 * each attempt as the refill activity runs it (a retry says so); `beforeAttempt` changes the world
 * between attempts. With the ledger deferred, then its entries. Returns the completing checkpoint.
 */
export async function refillUnderCrashes(
  world: { optimizely: FakeOptimizely; store: StateStore },
  snapshot: { snapshotRef: string; runId: string; endBatch: number },
  run: RefillCrashRun,
  beforeAttempt?: (attempt: RefillAttempt) => Promise<void>,
): Promise<RefillCheckpoint> {
  const result = await refillUntilDone(run.crashes, run.lostHeartbeats, async (life, attempt) => {
    await beforeAttempt?.(attempt);
    return refillChunk(
      refillChunkInput({
        ...life.wrap(world),
        ...snapshot,
        concurrency: run.concurrency,
        deferLedger: run.deferLedger,
        resumeFrom: attempt.resumeFrom,
        retried: attempt.attempt > 0,
        checkpoint: attempt.checkpoint,
      }),
    );
  });
  if (run.deferLedger) await recordSentLedgerUntilDone(run.crashes, world.store, snapshot.runId);
  return result;
}

/** What one attempt gets: its number (0 first), the checkpoint it resumes from, where it reports. */
export interface RefillAttempt {
  attempt: number;
  resumeFrom?: RefillCheckpoint;
  checkpoint: (checkpoint: RefillCheckpoint) => void;
}

/** Runs `refill` until an attempt completes; a dead attempt's newest `lostHeartbeats` checkpoints never reach the server. */
export async function refillUntilDone(
  crashes: readonly CrashPoint[],
  lostHeartbeats: number,
  refill: (life: CrashAttempt, attempt: RefillAttempt) => Promise<RefillCheckpoint>,
): Promise<RefillCheckpoint> {
  let heartbeat: RefillCheckpoint | undefined;
  let attempts = 0;
  const { result } = await runUntilDone(crashes, async (life) => {
    const reported: RefillCheckpoint[] = [];
    try {
      return await refill(life, {
        attempt: attempts++,
        resumeFrom: heartbeat,
        checkpoint: (c) => void (life.dead || reported.push(c)),
      });
    } finally {
      const reached = life.dead ? reported.slice(0, Math.max(0, reported.length - lostHeartbeats)) : reported;
      heartbeat = reached.at(-1) ?? heartbeat;
    }
  });
  return result;
}

/** The deferred ledger entries, written after the verify by an activity that dies at the same points. */
export async function recordSentLedgerUntilDone(crashes: readonly CrashPoint[], store: StateStore, runId: string): Promise<void> {
  let fromBatch: number | undefined;
  await runUntilDone(crashes, (life) =>
    recordSentLedger({
      store: life.wrap({ store }).store,
      runId,
      listKey: 'newsletter',
      fromBatch,
      checkpoint: (next) => void (life.dead || (fromBatch = next)),
    }),
  );
}

/** Every ledger entry of the run, by recipient id. */
export async function ledgerByRecipient(store: StateStore, runId: string): Promise<Map<string, LedgerEntry[]>> {
  const byRecipient = new Map<string, LedgerEntry[]>();
  for await (const e of store.ledger.stream(runId)) byRecipient.set(e.recipientId, [...(byRecipient.get(e.recipientId) ?? []), e]);
  return byRecipient;
}
