// SOAP traffic from the simulator's request log (a ring of its last BENCH_REQUEST_LOG_CAPACITY calls; it records
// operations and sizes, never parameter values).
import { BENCH_REQUEST_LOG_CAPACITY } from '../soap-refill/start-child';

export const WRITE_OPERATIONS = ['clear', 'addAll3', 'add3', 'remove', 'removeAll', 'setAttributesInBatch', 'setAttributesInBatchFlat'];

export interface SoapTraffic {
  calls: number;
  writeCalls: number;
  /** Write calls by operation, e.g. { addAll3: 11, clear: 1 }. */
  writes: Record<string, number>;
  requestBytes: number;
  writeRequestBytes: number;
}

export async function readRequestLog(url: string): Promise<SoapTraffic> {
  const response = await fetch(`${url}/admin/requests`);
  if (!response.ok) throw new Error(`reading the simulator's request log answered ${response.status}`);
  const { requests } = (await response.json()) as { requests: Array<{ operation: string; bytesIn: number }> };
  // A full ring means earlier calls were dropped: the figures would be too low, so refuse them.
  if (requests.length >= BENCH_REQUEST_LOG_CAPACITY)
    throw new Error(`the simulator's request log is full (${requests.length} calls): figures would be incomplete`);
  const writes: Record<string, number> = {};
  let requestBytes = 0;
  let writeRequestBytes = 0;
  for (const r of requests) {
    requestBytes += r.bytesIn;
    if (!WRITE_OPERATIONS.includes(r.operation)) continue;
    writes[r.operation] = (writes[r.operation] ?? 0) + 1;
    writeRequestBytes += r.bytesIn;
  }
  const writeCalls = Object.values(writes).reduce((a, b) => a + b, 0);
  return { calls: requests.length, writeCalls, writes, requestBytes, writeRequestBytes };
}
