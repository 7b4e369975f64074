// A ClosedLoop watermark is the server time getCurrentTime answered when a run read up to it, and
// ClosedLoop filters on the time Optimizely filed its data (API notes §6.1). The client takes any
// answer within 90 days of the worker's clock (MAX_SERVER_CLOCK_OFFSET_MS), so one answer days ahead
// (a server clock set wrong, then put right) stored a watermark in the future, and every later run
// read on from there: what was filed between the real time of that run and the watermark was never
// read. A mark further ahead of the server's time now than the overlap a run reads again is such an
// answer: the run reads back to the retention limit, as a first run does (the CRM's idempotent writes
// and the applied keys absorb what is read again), and the mark is reset to what it read. A jump
// smaller than the time between two runs cannot be told from time passing.

/** Whether `mark` (ISO) less `overlapMs` lies after `serverNow`: an earlier answer of the server's time was ahead of it. */
export function watermarkAhead(mark: string | undefined, serverNow: number, overlapMs: number): boolean {
  return mark !== undefined && Date.parse(mark) - overlapMs > serverNow;
}
