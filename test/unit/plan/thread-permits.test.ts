// The reading thread's calls take their slots from the main thread's budget (src/plan/thread-permits.ts),
// here over a real MessageChannel: whatever the thread asks, cancels and gives back, the budget never
// hands out more than its limit, a cancelled wait never keeps a slot, and releaseAll gives back all.
import { MessageChannel } from 'node:worker_threads';
import fc from 'fast-check';
import type { CallPermits } from '../../../src/optimizely/client/call-permits';
import { Semaphore } from '../../../src/optimizely/client/semaphore';
import { remotePermits, servePermits, type PermitRequest } from '../../../src/plan/thread-permits';

function connected(limit: number) {
  const { port1: main, port2: thread } = new MessageChannel();
  const budget = { calls: new Semaphore(limit), reads: new Semaphore(limit) };
  const served = servePermits(budget, (answer) => main.postMessage(answer));
  main.on('message', (request: PermitRequest) => served.handle(request));
  const remote = remotePermits(thread);
  return { budget, served, remote, close: () => (main.close(), thread.close()) };
}

type Step = { kind: 'acquire'; which: 'calls' | 'reads'; cancel: boolean } | { kind: 'release'; at: number };

/** Lets queued port messages arrive and be answered (a message and its answer take a turn or two each). */
const settle = async () => {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('permits of the reading thread', () => {
  it('never exceed the budget, and a cancelled or released slot goes back to it', async () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('acquire' as const),
        which: fc.constantFrom('calls' as const, 'reads' as const),
        cancel: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('release' as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(step, { maxLength: 25 }), async (limit, steps: Step[]) => {
        const { budget, served, remote, close } = connected(limit);
        const granted: (() => void)[] = [];
        try {
          for (const s of steps) {
            if (s.kind === 'release') {
              granted.splice(s.at % Math.max(1, granted.length), 1)[0]?.();
            } else {
              const stop = new AbortController();
              const permits: CallPermits = remote[s.which];
              void permits.acquire(stop.signal).then(
                (release) => granted.push(release),
                () => undefined,
              );
              if (s.cancel) stop.abort(new Error('cancelled'));
            }
            await settle();
            expect(budget.calls.inUse).toBeLessThanOrEqual(limit);
            expect(budget.reads.inUse).toBeLessThanOrEqual(limit);
          }
          // Every slot the main budget lends is one the thread holds.
          await settle();
          expect(budget.calls.inUse + budget.reads.inUse).toBe(granted.length);
          served.releaseAll();
          await settle();
          expect([budget.calls.inUse, budget.reads.inUse]).toEqual([0, 0]);
        } finally {
          close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a revoked main budget aborts the thread side revoked signal of that kind only', async () => {
    const { port1: main, port2: thread } = new MessageChannel();
    const lost = new AbortController();
    const budget = { calls: Object.assign(new Semaphore(1), { revoked: lost.signal }), reads: new Semaphore(1) };
    servePermits(budget, (answer) => main.postMessage(answer));
    const remote = remotePermits(thread);
    lost.abort(new Error('lease lost'));
    await new Promise((resolve) => remote.calls.revoked?.addEventListener('abort', resolve));
    expect(remote.reads.revoked?.aborted).toBe(false);
    main.close();
    thread.close();
  });
});
