import { extname, join } from 'node:path';
import type { OptimizelyThreadSpec } from '../optimizely/client/optimizely-port';
import { startThread } from '../threads/start-thread';
import type { LiveIndex } from './live-index';
import type { LiveListRead } from './read-live-list';
import { fromThreadError } from './thread-errors';
import { servePermits, type PermitRequest } from './thread-permits';
import type { ThreadAbort, ThreadReadInput, ThreadReadMessage } from './thread-read-protocol';

// Why a thread: the read (HTTP, decoding a thousand-row answer per page, the scratch index and the
// garbage all that leaves) is CPU work, and the export it runs beside needs the same thread. On a
// worker thread the two use two cores. The thread's client takes its slots from this client's
// budget (thread-permits.ts), so the budget holds as if one client made every call.

/** The reading thread stopped without an answer (crashed, or was killed): nothing was decided from it. */
export class LiveReadThreadError extends Error {
  override readonly name = 'LiveReadThreadError';
}

/** What the thread is started with, but the client's whole spec (with its permits) and the index itself. */
export interface ReadLiveListInThreadInput extends Omit<ThreadReadInput, 'client' | 'indexFile'> {
  spec: OptimizelyThreadSpec;
  /** Made here by createLiveIndex; filled by the thread, read here once the read has settled. */
  index: LiveIndex;
  signal?: AbortSignal;
  /** Called after every page: the activity's heartbeat. */
  progress?: () => void;
  /** The thread's entry file; tests substitute one that fails in a chosen way. */
  entry?: string;
}

/**
 * readLiveList on a worker thread: the same result, the same errors (rebuilt as their own classes).
 * It settles only once the thread has stopped, so nothing writes to the index afterwards and no slot
 * of the budget is held by it.
 */
export function readLiveListInThread(input: ReadLiveListInThreadInput): Promise<LiveListRead> {
  const entry = input.entry ?? join(__dirname, `live-read-thread${extname(__filename)}`);
  const workerData: ThreadReadInput = {
    client: input.spec.options,
    listId: input.listId,
    list: { idField: input.list.idField, emailField: input.list.emailField },
    attributeMapping: input.attributeMapping,
    indexFile: input.index.file,
    pageSize: input.pageSize,
    concurrency: input.concurrency,
  };
  return new Promise<LiveListRead>((resolve, reject) => {
    const worker = startThread(entry, workerData);
    const permits = servePermits(input.spec.permits, (answer) => worker.postMessage(answer));
    const onAbort = () => worker.postMessage({ type: 'abort' } satisfies ThreadAbort);
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      input.signal?.removeEventListener('abort', onAbort);
      void worker.terminate().finally(() => {
        permits.releaseAll();
        settle();
      });
    };
    input.signal?.addEventListener('abort', onAbort, { once: true });
    if (input.signal?.aborted) onAbort();
    worker.on('message', (message: ThreadReadMessage | PermitRequest) => {
      if (message.type === 'page') input.progress?.();
      else if (message.type === 'done') finish(() => resolve(message.read));
      else if (message.type === 'failed')
        finish(() => reject(input.signal?.aborted ? input.signal.reason : fromThreadError(message.error)));
      else permits.handle(message);
    });
    // The thread's own error is not passed on: its text is not checked for recipient data.
    worker.on('error', (error) => finish(() => reject(stopped(`failed with ${error.name}`))));
    worker.on('exit', (code) => finish(() => reject(stopped(`exited with code ${code}`))));
  });
}

function stopped(how: string): LiveReadThreadError {
  return new LiveReadThreadError(`the live list's reading thread ${how} before it answered; nothing was decided from its read`);
}
