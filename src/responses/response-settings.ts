/** How far response data has been read, in Optimizely server time (a watermark kind of its own). */
export const RESPONSES_WATERMARK = 'responses';
/** Windows start this far before the watermark: data Optimizely batched late is read again. */
export const RESPONSES_OVERLAP_MS = 60 * 60 * 1000;
/** Windows are at most a day long, so a catch-up after an outage advances the watermark day by day. */
export const RESPONSES_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The run is lagging when data it is about to read expires within this margin. */
export const RESPONSES_LAG_MARGIN_MS = 3 * 24 * 60 * 60 * 1000;
