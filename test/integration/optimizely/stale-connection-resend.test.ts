// The transport sends a request once more when a reused keep-alive connection is reset before any
// answer. A reset does not say whether the server read the request first: a proxy (or a server)
// that applied it and then dropped the connection ends the same way as one that closed an idle
// connection. Sent again, a write applies twice (addAll3 then answers 5 "already in the list" for
// people it has just added; removeAll answers "not on the list" for people it has just removed).
// Here the real simulator sits behind a proxy that resets reused connections, before forwarding or
// after the simulator answered: a write reaches the simulator at most once per call, and only
// reads are sent again.
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED, batchOf } from './client-seed';

type Reset = 'pass' | 'before' | 'after';

/** An HTTP proxy to the simulator that resets reused connections as `plan` says, request by request. */
async function resettingProxy(target: string) {
  const requestsOn = new WeakMap<Socket, number>();
  const state = { plan: [] as Reset[], forwarded: [] as string[], resets: 0 };
  const server = http.createServer((req, res) => {
    const count = (requestsOn.get(req.socket) ?? 0) + 1;
    requestsOn.set(req.socket, count);
    // Only a reused connection is reset: that is the only reset the transport may answer by sending again.
    const reset: Reset = count > 1 ? (state.plan.shift() ?? 'pass') : 'pass';
    if (reset === 'before') {
      state.resets += 1;
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = /<ns1:(\w+)[\s>]/.exec(body.toString('utf8'))?.[1] ?? '?';
      const forward = http.request(`${target}${req.url}`, { method: 'POST', headers: req.headers, agent: false }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          state.forwarded.push(operation);
          if (reset === 'after') {
            // Applied at the simulator, and the answer never reaches the client.
            state.resets += 1;
            req.socket.destroy();
            return;
          }
          const text = Buffer.concat(parts);
          res.writeHead(answer.statusCode ?? 500, {
            'Content-Type': answer.headers['content-type'] ?? 'text/xml',
            'Content-Length': text.length,
          });
          res.end(text);
        });
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let harness: Harness;
let proxy: Awaited<ReturnType<typeof resettingProxy>>;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
  proxy = await resettingProxy(harness.sim.url);
});
afterAll(async () => {
  await proxy.close();
  await harness.close();
});

type Step = 'add' | 'remove' | 'count' | 'opens' | 'unsubscribed';
let run = 0;

async function outcome<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe('a stale keep-alive connection reset at the simulator', () => {
  it('sends a write at most once per call and a read again until answered, whatever is reset when', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Step>('add', 'remove', 'count', 'opens', 'unsubscribed'), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom<Reset>('pass', 'before', 'after'), { maxLength: 12 }),
        async (steps, plan) => {
          run += 1;
          // One connection, so every call after the first reuses it.
          const client: OptimizelyPort = harness.client({ baseUrl: proxy.url, concurrency: 1 });
          proxy.state.plan = [];
          await client.recipient.clear({ listId: LIST });
          proxy.state.plan = [...plan];
          const onList = new Set<string>();
          try {
            for (const [i, step] of steps.entries()) {
              const before = proxy.state.forwarded.length;
              const forwarded = () => proxy.state.forwarded.slice(before);
              if (step === 'add') {
                const ids = [`run${run}-${i}-a@example.com`, `run${run}-${i}-b@example.com`];
                const result = await outcome(client.recipient.addAll3(batchOf(ids)));
                const sent = forwarded().filter((op) => op === 'addAll3').length;
                // Never twice: a second addAll3 would have answered 5 for people the first one added.
                expect(sent).toBeLessThanOrEqual(1);
                if ('value' in result) expect(result.value).toEqual([0, 0]);
                else expect(result.error).toBeInstanceOf(OptimizelyTransientError);
                if (sent === 1) ids.forEach((id) => onList.add(id));
              } else if (step === 'remove') {
                const ids = [...onList].slice(0, 2);
                const result = await outcome(client.recipient.removeAll({ listId: LIST, recipientIds: ids }));
                const sent = forwarded().filter((op) => op === 'removeAll').length;
                expect(sent).toBeLessThanOrEqual(1);
                if ('value' in result) expect(result.value).toEqual(ids.map(() => true));
                else expect(result.error).toBeInstanceOf(OptimizelyTransientError);
                if (sent === 1) ids.forEach((id) => onList.delete(id));
              } else if (step === 'count') {
                // A read is sent again after a reset, so it is answered, and what it counts is every write applied once.
                expect(await client.recipient.getCount({ listId: LIST })).toBe(onList.size);
              } else if (step === 'opens') {
                const now = await client.closedLoop.getCurrentTime();
                expect(await client.closedLoop.getOpens({ since: now - 60_000, until: now, startRow: 0, numberOfRows: 1000 })).toEqual([]);
              } else {
                expect(await client.unsubscribe.containsAll({ recipientIds: ['gone@example.com', 'nobody@example.com'] })).toEqual([
                  true,
                  false,
                ]);
              }
            }
          } finally {
            await client.close();
          }
        },
      ),
      { numRuns: 25 },
    );
    // The plans did reset connections, before and after the simulator answered.
    expect(proxy.state.resets).toBeGreaterThan(10);
  }, 120_000);
});
