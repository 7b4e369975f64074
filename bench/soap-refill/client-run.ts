// The campaign-sync client: addAll3 batches through createOptimizelyClient, `concurrency` in flight.
import { createOptimizelyClient } from '../../src/optimizely/client';
import { createHttpTransport, type SoapTransport } from '../../src/optimizely/client/http-transport';
import { inLanes } from './measure';
import { ATTRIBUTES, type Batch, MANDATOR } from './workload';

export interface RunResult {
  requestBytes: number;
  codes: number[];
}

export async function clientRun(url: string, listId: number, batches: readonly Batch[], concurrency: number): Promise<RunResult & { close(): Promise<void> }> {
  const inner = createHttpTransport({ maxSockets: concurrency });
  let requestBytes = 0;
  const transport: SoapTransport = {
    post: (target, body, signal) => {
      requestBytes += Buffer.byteLength(body);
      return inner.post(target, body, signal);
    },
    close: () => inner.close(),
  };
  const client = createOptimizelyClient({ baseUrl: url, ...MANDATOR, concurrency }, { transport });
  await client.login();
  await client.recipient.clear({ listId });
  requestBytes = 0;
  const codes: number[] = [];
  await inLanes(batches, concurrency, async (batch) => {
    const result = await client.recipient.addAll3({ listId, optinProcessId: 0, attributeNames: ATTRIBUTES, ...batch });
    for (const code of result) codes.push(code);
  });
  return { requestBytes, codes, close: () => client.close() };
}
