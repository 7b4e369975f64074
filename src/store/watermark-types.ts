/** How far a client's reading of an Optimizely feed (feedback, responses) has come; it moves forward only. */
export interface Watermark {
  client: string;
  /** What the watermark tracks, e.g. `feedback`, `responses`. */
  kind: string;
  /** ISO timestamp in Optimizely server time (converted from its epoch milliseconds). */
  at: string;
}
