/** How far bounces and unsubscribes have been read, in Optimizely server time. */
export const FEEDBACK_WATERMARK = 'feedback';
/** When the last feedback import finished, on our clock: a list sync alone checks its age. */
export const FEEDBACK_IMPORTED_AT = 'feedback-imported-at';
/** Windows start this far before the watermark, so data Optimizely batched late is not missed. */
export const FEEDBACK_OVERLAP_MS = 60 * 60 * 1000;
/**
 * How far the suppression ledger has been filled from ClosedLoop. Separate from the feedback mark so
 * a store that predates the ledger reads the whole ClosedLoop retention into it once.
 */
export const SUPPRESSIONS_WATERMARK = 'suppressions';
