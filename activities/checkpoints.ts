import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';

// Heartbeat checkpoints come back from an earlier attempt, possibly written by an older deploy. They
// are parsed, never cast: a shape this code does not understand fails the attempt loudly and for good
// (retrying would read the same checkpoint), instead of resuming from a misread position.

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

/** refillList: the contiguous acknowledged prefix of a chunk (src/sync/refill-chunk.ts RefillCheckpoint). */
export const refillCheckpointSchema = z.object({
  nextBatch: count,
  sent: count,
  resultCodes: counts,
  rejected: count.optional(),
  unsubscribed: count.optional(),
  notInFreshExport: count.optional(),
});

/** recordSentLedger: the next batch whose ledger entries are still to be written. */
export const ledgerCheckpointSchema = count;

const responseCounts = z.record(z.string(), counts);
/** ingestResponseWindow: the getter and start row to read next, and what was counted so far. */
export const windowCheckpointSchema = z.object({ getterIndex: count, startRow: count, counts: responseCounts });

/** clearList: when the first attempt that could have reached Optimizely started its call. */
export const clearCheckpointSchema = z.object({ firstAttemptAt: z.iso.datetime() });

/** The failure type of a checkpoint this code cannot read; non-retryable. */
export const CHECKPOINT_SHAPE_ERROR = 'CheckpointShapeError';

/** The current attempt's checkpoint from the previous one, parsed; undefined on a first attempt. */
export function readCheckpoint<T>(schema: z.ZodType<T>, what: string): T | undefined {
  const details: unknown = activityInfo().heartbeatDetails;
  if (details === undefined || details === null) return undefined;
  const parsed = schema.safeParse(details);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw ApplicationFailure.nonRetryable(
    `The ${what} checkpoint of an earlier attempt has a shape this code cannot read (${problems})`,
    CHECKPOINT_SHAPE_ERROR,
  );
}

/** removeLeavers / updateChanged: the next batch to apply, and what the batches before it counted. */
export const reconcileCheckpointSchema = z.object({ nextBatch: count, counts });
