import type { MessagePort } from 'node:worker_threads';
import type { CallPermits, ClientPermits } from '../optimizely/client/call-permits';

// The live list's reading thread has its own Optimizely client, but not its own budget: every call it
// makes takes its slot from the budget of the worker's client on the main thread (a local semaphore
// or the leased budget all workers share), through these messages. So the thread's calls and the
// main thread's calls together never hold more slots than the client's budget allows.

export type PermitKind = keyof ClientPermits;

/** Thread → main. */
export type PermitRequest =
  | { type: 'acquire'; id: number; kind: PermitKind }
  | { type: 'release'; id: number }
  /** The thread stopped waiting (its call was aborted): a slot granted afterwards is given straight back. */
  | { type: 'cancel'; id: number };

/** Main → thread. */
export type PermitAnswer =
  | { type: 'granted'; id: number }
  | { type: 'refused'; id: number; message: string }
  /** The main thread's slots of this kind can no longer be vouched for (a lease lost): calls stop. */
  | { type: 'revoked'; kind: PermitKind };

const KINDS: readonly PermitKind[] = ['calls', 'reads'];

/**
 * Main thread: answers the thread's permit requests from `permits`. Returns a function that gives
 * back every slot the thread still holds or is waiting for (when the thread ends, however it ends).
 */
export function servePermits(
  permits: ClientPermits,
  post: (answer: PermitAnswer) => void,
): {
  handle(request: PermitRequest): void;
  releaseAll(): void;
} {
  const held = new Map<number, () => void>();
  const waiting = new Map<number, AbortController>();
  const onRevoked = KINDS.map((kind) => {
    const signal = permits[kind].revoked;
    const listener = () => post({ type: 'revoked', kind });
    signal?.addEventListener('abort', listener, { once: true });
    if (signal?.aborted) listener();
    return () => signal?.removeEventListener('abort', listener);
  });
  return {
    handle(request) {
      if (request.type === 'release') {
        held.get(request.id)?.();
        held.delete(request.id);
        return;
      }
      if (request.type === 'cancel') {
        // Granted while the cancel was on its way: the thread will never use or release it.
        waiting.get(request.id)?.abort(new Error('cancelled by the reading thread'));
        held.get(request.id)?.();
        held.delete(request.id);
        return;
      }
      const stop = new AbortController();
      waiting.set(request.id, stop);
      permits[request.kind].acquire(stop.signal).then(
        (release) => {
          waiting.delete(request.id);
          if (stop.signal.aborted) return release();
          held.set(request.id, release);
          post({ type: 'granted', id: request.id });
        },
        (error: unknown) => {
          waiting.delete(request.id);
          post({ type: 'refused', id: request.id, message: error instanceof Error ? error.message : String(error) });
        },
      );
    },
    releaseAll() {
      for (const stop of waiting.values()) stop.abort(new Error('the reading thread ended'));
      for (const release of held.values()) release();
      held.clear();
      onRevoked.forEach((off) => off());
    },
  };
}

/** Thread side: ClientPermits whose slots are the main thread's (see servePermits). */
export function remotePermits(port: Pick<MessagePort, 'postMessage' | 'on'>): ClientPermits {
  let nextId = 0;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const revoked = { calls: new AbortController(), reads: new AbortController() };
  port.on('message', (message: PermitAnswer | { type: string }) => {
    const answer = message as PermitAnswer;
    if (answer.type === 'revoked') revoked[answer.kind].abort(new Error(`the Optimizely ${answer.kind} budget's slots were revoked`));
    else if (answer.type === 'granted') pending.get(answer.id)?.resolve();
    else if (answer.type === 'refused') pending.get(answer.id)?.reject(new Error(answer.message));
  });
  const post = (request: PermitRequest) => port.postMessage(request);
  const permitsOf = (kind: PermitKind): CallPermits => ({
    revoked: revoked[kind].signal,
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const id = nextId++;
      return new Promise<() => void>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(id);
          post({ type: 'cancel', id });
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => (pending.delete(id), signal?.removeEventListener('abort', onAbort));
        pending.set(id, {
          resolve: () => {
            settle();
            let released = false;
            resolve(() => {
              if (released) return;
              released = true;
              post({ type: 'release', id });
            });
          },
          reject: (error) => (settle(), reject(error)),
        });
        post({ type: 'acquire', id, kind });
      });
    },
  });
  return { calls: permitsOf('calls'), reads: permitsOf('reads') };
}
