import { shownInput } from './quoted-text';

/** Something an operator named does not exist (a list, a run, an open workflow); the CLI exits with 3. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';

  constructor(
    readonly what: string,
    readonly key: string,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    // The key is what an operator typed or pasted: shown on one bounded line (quoted-text.ts).
    super(`${what} ${shownInput(key)} not found${detail ? `; ${detail}` : ''}`, options);
  }
}
