// The reading thread's entry (started by read-live-list-in-thread.ts; never imported). It reads the
// live list with the plan's reader (readLiveList: the same paging, checks and re-reads) through a
// client of its own whose calls take their slots from the main thread's budget, into the scratch
// index the main thread created. Only counts, page ticks and errors go back: the recipients stay
// in the scratch file, which the main thread then classifies against the export.
import { parentPort, workerData } from 'node:worker_threads';
import { clientFromCheckedOptions } from '../optimizely/client/client-from-checked-options';
import { attachLiveIndex } from './live-index';
import { planFields } from './plan-fields';
import { readLiveList } from './read-live-list';
import { toThreadError } from './thread-errors';
import { remotePermits } from './thread-permits';
import type { ThreadReadInput, ThreadReadMessage } from './thread-read-protocol';

async function main(port: NonNullable<typeof parentPort>, input: ThreadReadInput): Promise<ThreadReadMessage> {
  const stop = new AbortController();
  port.on('message', (message: { type?: string }) => {
    if (message.type === 'abort') stop.abort(new Error('the live list read was cancelled'));
  });
  let optimizely: ReturnType<typeof clientFromCheckedOptions> | undefined;
  let index: ReturnType<typeof attachLiveIndex> | undefined;
  try {
    // The options are the worker client's, checked when it was made (threadSpec): not checked again here.
    optimizely = clientFromCheckedOptions(input.client, { permits: remotePermits(port) });
    index = attachLiveIndex(input.indexFile);
    const read = await readLiveList({
      optimizely,
      listId: input.listId,
      fields: planFields(input.list, input.attributeMapping),
      index,
      pageSize: input.pageSize,
      concurrency: input.concurrency,
      signal: stop.signal,
      progress: () => port.postMessage({ type: 'page' } satisfies ThreadReadMessage),
    });
    return { type: 'done', read };
  } catch (error) {
    return { type: 'failed', error: toThreadError(error) };
  } finally {
    try {
      index?.close();
    } finally {
      // Logs out while the main thread still answers permit requests (logout takes a slot too), even
      // when the index did not close: the session would otherwise stay open at Optimizely until it expires.
      await optimizely?.close().catch(() => undefined);
    }
  }
}

if (parentPort) {
  const port = parentPort;
  void main(port, workerData as ThreadReadInput).then((message) => port.postMessage(message));
}
