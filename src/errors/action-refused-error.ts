/** A workflow refused an operator Update (its validator said why; nothing changed); the CLI exits with 5. */
export class ActionRefusedError extends Error {
  override readonly name = 'ActionRefusedError';

  constructor(
    readonly workflowId: string,
    readonly action: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${workflowId} refused ${action}: ${reason}`, options);
  }
}
