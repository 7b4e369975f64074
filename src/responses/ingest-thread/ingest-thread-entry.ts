import { parentPort, workerData } from 'node:worker_threads';
import { openCrm } from '../../crm/open-crm';
import { createStateStore } from '../../store/create-state-store';
import { classifiedWindowIngester, type ClassifiedWindowIngester } from '../window-ingester';
import { unpackPage } from './packed-page';
import type { IngestThreadData, IngestThreadReply, IngestThreadRequest, ThreadError } from './thread-protocol';

// The response ingestion thread: applies the pages the worker's thread reads, with connections of
// its own to the state store and the CRM (a SQLite connection cannot cross threads). The pages come
// classified by the reading thread; the thread runs the same code as ingestion on one thread after
// that (classifiedWindowIngester), so what is applied, in which transaction and in which order does
// not change; only the thread does.

const data = workerData as IngestThreadData;
const port = parentPort;
if (!port) throw new Error('ingest-thread-entry runs only as a worker thread');

const ports = (async () => {
  const store = await createStateStore(data.store);
  return { store, crm: openCrm(data.crm, data.crmEnv) };
})();
// Reported with the first request that needs the connections.
ports.catch(() => undefined);

const windows = new Map<number, ClassifiedWindowIngester>();

function windowOf(session: number): ClassifiedWindowIngester {
  const found = windows.get(session);
  if (!found) throw new Error(`response ingestion thread: window ${session} is not open`);
  return found;
}

async function handle(request: IngestThreadRequest): Promise<IngestThreadReply> {
  const opened = await ports;
  switch (request.type) {
    case 'open':
      windows.set(request.session, classifiedWindowIngester(opened, request.setup));
      return { id: request.id };
    case 'page':
      return { id: request.id, value: await windowOf(request.session).ingest(request.at, unpackPage(request.page), request.commitAt) };
    case 'close':
      await windows.get(request.session)?.close();
      windows.delete(request.session);
      return { id: request.id };
    case 'ready':
      return { id: request.id };
    case 'shutdown':
      windows.clear();
      await opened.crm.close();
      await opened.store.close();
      return { id: request.id };
  }
}

function threadError(error: unknown): ThreadError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: 'Error', message: String(error) };
}

const connectionsFailed = ports.then(
  () => false,
  () => true,
);

port.on('message', (request: IngestThreadRequest) => {
  handle(request).then(
    (reply) => port.postMessage(reply),
    async (error: unknown) => {
      const fatal = await connectionsFailed;
      port.postMessage({ id: request.id, error: threadError(error), ...(fatal ? { fatal } : {}) } satisfies IngestThreadReply);
    },
  );
});
