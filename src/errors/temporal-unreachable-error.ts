import { shownInput, SHOWN_PATH_MAX } from './quoted-text';

/**
 * No Temporal server answered at the address tried; the CLI exits with 4 and says how to start one.
 * The address and namespace come from the environment (TEMPORAL_ADDRESS, a profile): shown on one
 * bounded line (quoted-text.ts).
 */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';

  constructor(
    readonly address: string,
    readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(
      [
        `No Temporal server answered at ${shownInput(address, SHOWN_PATH_MAX)} (namespace ${shownInput(namespace, SHOWN_PATH_MAX)}).`,
        'Start the embedded dev server with `npm run dev:server` (or `npm start`), or point TEMPORAL_ADDRESS',
        '(and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*) at your cluster.',
      ].join('\n'),
      options,
    );
  }
}
