// Shared by the workflow sandbox (how many batches a refill has) and the refill activities (which
// snapshot rows a batch holds), so it lives in workflows/ and imports nothing.

/**
 * Recipients per refill batch: one `addAll3` call, at most Optimizely's 1,000 a call. Batch n holds
 * snapshot rows n × size … (n + 1) × size − 1, and acknowledged batches are stored by that number, so a
 * new size would misplace the rows of batches recorded before: it is part of the stored format.
 */
export const REFILL_BATCH_SIZE = 1000;
