/** Answers a call with a bare HTTP status (injected 503, concurrency 429/503) instead of SOAP. */
export class HttpStatusReply extends Error {
  override readonly name = 'HttpStatusReply';
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
