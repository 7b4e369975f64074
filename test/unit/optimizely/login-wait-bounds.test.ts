// A call waits for the session's login within its own bounds. The login is shared by every caller and
// runs under the client's timeout, so a call with a shorter timeoutMs, or whose caller gave up (an
// activity cancelled), waited for a login the server dripped out and never finished as long as the
// client's timeout (60 s by default) before its own clock even started. The property drives the real
// client over HTTP against a server that answers the login after a drawn delay or never (its body
// begun and left open): the call answers when the login comes in time, and otherwise settles within
// its timeoutMs (OptimizelyTransientError, timed out) or at the caller's abort (the abort's reason).
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { soapFixture } from './soap-fixtures';

const LOGIN = soapFixture('login-response.xml');
const COUNT = soapFixture('getcount-response.xml');
/** Slack for timers and a busy machine, beyond the bound itself. */
const SLACK_MS = 1_500;

let loginDelayMs: number | undefined;
let server: http.Server;
let url: string;
const clients: OptimizelyPort[] = [];

beforeAll(async () => {
  server = http.createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = Buffer.concat(chunks).toString('utf8');
      if (!request.includes(':login ')) return void res.end(request.includes(':logout ') ? '' : COUNT);
      if (loginDelayMs !== undefined) return void setTimeout(() => res.end(LOGIN), loginDelayMs);
      // A login answer begun and never finished: the body drips on no further.
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      res.write(LOGIN.slice(0, 100));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // Cut the open logins first, so closing the clients does not wait for them.
  server.closeAllConnections();
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a call waiting for the login', () => {
  it('answers when the login comes in time, else settles within its own timeout or at its abort', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 300, max: 600 }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        fc.option(fc.integer({ min: 20, max: 250 }), { nil: undefined }),
        async (timeoutMs, delay, abortAfterMs) => {
          loginDelayMs = delay;
          // The client's own timeout (the login's) is far longer than the call's.
          const client = createOptimizelyClient({ baseUrl: url, mandatorId: 1, username: 'u', password: 'p', timeoutMs: 4_000 });
          clients.push(client);
          const controller = new AbortController();
          const reason = new Error('caller gave up');
          const timer = abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(reason), abortAfterMs);
          const started = Date.now();
          const outcome = await client.recipient.getCount({ listId: 7 }, { timeoutMs, signal: controller.signal }).then(
            (count) => ({ count }),
            (error: unknown) => ({ error }),
          );
          clearTimeout(timer);
          const tookMs = Date.now() - started;
          if ('count' in outcome) {
            expect(delay).toBeDefined();
            return;
          }
          if (abortAfterMs !== undefined && outcome.error === reason) {
            expect(tookMs).toBeLessThan(abortAfterMs + SLACK_MS);
            return;
          }
          // Only a login that never came may fail a call nobody cancelled.
          expect(delay).toBeUndefined();
          expect(outcome.error).toBeInstanceOf(OptimizelyTransientError);
          expect((outcome.error as OptimizelyTransientError).timedOut).toBe(true);
          expect((outcome.error as Error).message).toBe(
            `Recipient.getCount: list 7: timed out after ${timeoutMs} ms waiting for the session's login`,
          );
          expect(tookMs).toBeLessThan(timeoutMs + SLACK_MS);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
