// The campaign-sync client: addAll3 batches through createOptimizelyClient, `concurrency` in flight.
import { createOptimizelyClient } from '../../src/optimizely/client';
import { createHttpTransport, type SoapTransport } from '../../src/optimizely/client/http-transport';
import { inLanes } from './measure';
import { ATTRIBUTES, type Batch, MANDATOR } from './workload';

export interface RunResult {
  requestBytes: number;
  codes: number[];
}

export interface ClientRunner {
  result: RunResult;
  send(batches: readonly Batch[]): Promise<void>;
  close(): Promise<void>;
}

/** Logs in and clears the list; `send` then refills it, counting envelope bytes and result codes. */
export async function startClientRun(url: string, listId: number, concurrency: number): Promise<ClientRunner> {
  const inner = createHttpTransport({ maxSockets: concurrency });
  const result: RunResult = { requestBytes: 0, codes: [] };
  let counting = false;
  const transport: SoapTransport = {
    post: (target, body, signal, maxResponseBytes) => {
      if (counting) result.requestBytes += Buffer.byteLength(body);
      return inner.post(target, body, signal, maxResponseBytes);
    },
    close: () => inner.close(),
  };
  const client = createOptimizelyClient({ baseUrl: url, ...MANDATOR, concurrency }, { transport });
  await client.login();
  await client.recipient.clear({ listId });
  counting = true;
  return {
    result,
    send: (batches) =>
      inLanes(batches, concurrency, async (batch) => {
        const codes = await client.recipient.addAll3({ listId, optinProcessId: 0, attributeNames: ATTRIBUTES, ...batch });
        for (const code of codes) result.codes.push(code);
      }),
    close: () => client.close(),
  };
}
