import type { FeedbackFileRecord } from '../store/types';

// A `review` record (a dropped file applied, to be moved into quarantine/) belongs to the import that
// wrote it until the move is recorded done, a few milliseconds later. An import of another run (the
// daily run's and a list sync's refreshing feedback, at once) that took it over then reported the
// file and recorded it done under its own run: the owner, dying after its move, never reported it
// again (its retry asks for its own run's records). Another run takes a record over only once the
// owner is surely over: no attempt of an activity importing feedback lives much longer than 2 hours
// (their start-to-close timeouts, workflows/list-sync.ts and daily-sync.ts; a timed-out attempt hears
// of it from its next heartbeat's answer, within 5 s (the worker's maxHeartbeatThrottleInterval,
// src/worker.ts), and stops before its next page, file or batch of rows: activities/feedback.ts), so 3 hours after it was
// recorded. The owner's own retries take it over at once (setAsideFiles under its run).

export const REVIEW_LEASE_MS = 3 * 60 * 60 * 1000;

/** Whether the import of `runId` may finish and report this record at `now`. */
export function mayTakeOver(record: FeedbackFileRecord, runId: string, now: Date): boolean {
  return record.runId === runId || Date.parse(record.recordedAt) <= now.getTime() - REVIEW_LEASE_MS;
}
