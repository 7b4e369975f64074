/** An operator action conflicts with the state of a list (already syncing, not held); the CLI exits with 5. */
export class ListBusyError extends Error {
  override readonly name = 'ListBusyError';

  constructor(
    readonly listKey: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`list ${listKey}: ${detail}`, options);
  }
}
