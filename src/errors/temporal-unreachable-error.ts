/** No Temporal server answered at the address tried; the CLI exits with 4 and says how to start one. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';

  constructor(
    readonly address: string,
    readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(
      [
        `No Temporal server answered at ${address} (namespace ${namespace}).`,
        'Start the embedded dev server with `npm run dev:server` (or `npm start`), or point TEMPORAL_ADDRESS',
        '(and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*) at your cluster.',
      ].join('\n'),
      options,
    );
  }
}
