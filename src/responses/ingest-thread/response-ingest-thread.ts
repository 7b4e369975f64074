import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { CrmConfig } from '../../crm/crm-config';
import { errorOfClassName } from '../../errors/error-of-class-name';
import { startThread } from '../../threads/start-thread';
import type { StateStoreConfig } from '../../store/create-state-store';
import { classifyingIngester, type ClassifiedWindowIngester, type OpenWindowIngester, type WindowCheckpoint } from '../window-ingester';
import { packPage, transferablesOfPacked } from './packed-page';
import type { IngestThreadData, IngestThreadReply, IngestThreadRequest, ThreadError } from './thread-protocol';

// Response ingestion on a thread of its own: the worker's thread reads, decodes and classifies
// ClosedLoop pages (classify-response-page.ts: checks, event keys, the window's de-duplication)
// while this thread looks up and applies the page before (campaigns, ledger look-ups, the CRM's
// writes, the suppression ledger), which are synchronous SQLite work for the SQLite engines. The two
// used to take turns on one thread.

type Request = IngestThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * What the thread opens its connections from, or undefined when it cannot open its own: an
 * in-memory state store is private to its connection, and a CSV CRM's files are not shared safely.
 */
export function ingestThreadData(
  store: StateStoreConfig,
  crm: CrmConfig,
  env: Readonly<Record<string, string | undefined>>,
): IngestThreadData | undefined {
  if (store.kind === 'sqlite' && store.file === ':memory:') return undefined;
  if (crm.kind === 'csv' || (crm.kind === 'sqlite' && crm.file === ':memory:')) return undefined;
  const urlEnv = crm.kind === 'postgres' ? crm.urlEnv : undefined;
  const value = urlEnv === undefined ? undefined : env[urlEnv];
  return { store, crm, crmEnv: urlEnv !== undefined && value !== undefined ? { [urlEnv]: value } : {} };
}

/** An error from the thread as an error of the same class name, which is what retry policies compare. */
function rebuiltError(error: ThreadError): Error {
  const rebuilt = errorOfClassName(error.name, error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

/** The worker's response ingestion thread, started on the first window and kept for the next ones. */
export class ResponseIngestThread {
  private worker?: Worker;
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve: (value: WindowCheckpoint | undefined) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private nextSession = 1;

  constructor(private readonly data: IngestThreadData) {}

  /**
   * Opens a window on the thread: the pages handed in are classified on the calling thread and
   * applied on the ingestion thread, one at a time.
   */
  readonly openWindow: OpenWindowIngester = (setup) => {
    const session = this.nextSession++;
    const opened = this.call({ type: 'open', session, setup });
    opened.catch(() => undefined); // reported by the first page
    const owner = this.worker;
    const onThread: ClassifiedWindowIngester = {
      ingest: async (at, page, commitAt) => {
        await opened;
        // One string per column, and the typed arrays' buffers moved rather than copied (packed-page.ts).
        const packed = packPage(page);
        return this.call({ type: 'page', session, at, page: packed, commitAt }, transferablesOfPacked(packed));
      },
      // Not waited for: the thread takes requests in order, and the window's answers are in. A thread
      // that ended since took the window's state with it: closing must not start a new one.
      close: async () => {
        if (this.worker === owner) this.call({ type: 'close', session }).catch(() => undefined);
      },
    };
    return classifyingIngester(setup, onThread);
  };

  /**
   * Starts the thread and opens its connections now rather than in the first window: a worker
   * calls it at start, so no activity pays the thread's start (about half a second of CPU).
   */
  async ready(): Promise<void> {
    await this.call({ type: 'ready' });
  }

  /** Closes the thread's connections and ends it; a later window starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.call({ type: 'shutdown' });
    } finally {
      this.worker = undefined;
      await worker.terminate();
    }
  }

  private call(request: Request, transfer: readonly ArrayBuffer[] = []): Promise<WindowCheckpoint | undefined> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      // Waiting for the thread keeps the process alive; an idle thread does not.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...request, id }, transfer);
    });
  }

  private settle(reply: IngestThreadReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in reply) waiting.reject(rebuiltError(reply.error));
    else waiting.resolve(reply.value);
    // Its connections did not open (a database unreachable at the time): the next window starts a new thread.
    if ('error' in reply && reply.fatal) this.retire();
  }

  /** Ends the current thread; what still waits for it fails, and the next call starts a new one. */
  private retire(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(join(__dirname, `ingest-thread-entry${extname(__filename)}`), this.data);
    worker.unref();
    worker.on('message', (reply: IngestThreadReply) => this.settle(reply));
    // Fails what waits for this thread only: a retired thread ends while its successor already works.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending)
        if (waiting.worker === worker) {
          this.pending.delete(id);
          waiting.reject(error);
        }
      if (this.pending.size === 0) this.worker?.unref();
    };
    // An uncaught error of the thread is passed on by its class name only: its message and stack are not
    // ours to vet and would go into the activity's failure and the workflow history.
    worker.on('error', (error) => fail(errorOfClassName(error.name, `the response ingestion thread failed (${error.name})`)));
    worker.on('exit', (code) => fail(new Error(`the response ingestion thread ended (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
