/** No worker answered a query or Update within the deadline (workers stopped or stuck); the CLI exits with 6. */
export class NoWorkerAnswerError extends Error {
  override readonly name = 'NoWorkerAnswerError';

  constructor(
    readonly workflowId: string,
    readonly what: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `no worker answered ${what} of ${workflowId} within ${Math.round(waitedMs / 1000)} s: is a worker running on the task queue?`,
      options,
    );
  }
}
