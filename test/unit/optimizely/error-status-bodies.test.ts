import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { OptimizelyResponseRejectedError } from '../../../src/errors/optimizely-response-rejected-error';
import { ROW_PAGE_CAP } from '../../../src/optimizely/api/response-caps';
import { createOptimizelyClient } from '../../../src/optimizely/client';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { PERMANENT_ERROR_TYPES } from '../../../workflows/retry-contract';
import { type HostileServer, startHostileSoapServer } from '../../helpers/hostile-soap-server';

// An HTTP error answer's body is whatever the proxy or server in front wrote: a Latin-1 error page, a
// stack trace past the size cap, an odd or broken compression. The client refuses to read such a body,
// but the status still says what happened: the error must be the one the same status with a readable
// page gives (503 passing, 401 refused, ...), not a permanent "response refused", which would end the
// activity's retries on a passing outage. Only a 200 answer the client refuses is refused for good.

type Refused = 'latin1' | 'declaredOverCap' | 'streamedOverCap' | 'unknownEncoding' | 'brokenGzip' | 'gzipBomb';
const REFUSED: Refused[] = ['latin1', 'declaredOverCap', 'streamedOverCap', 'unknownEncoding', 'brokenGzip', 'gzipBomb'];
/** Over every operation's cap. */
const OVER_CAP = ROW_PAGE_CAP + 1;
const BOMB = gzipSync(Buffer.alloc(OVER_CAP, ' '));
const STREAMED = Buffer.alloc(OVER_CAP, ' ');
const LATIN1_PAGE = Buffer.from(
  '<html><body><h1>Service indisponible</h1><p>R\xe9essayez plus tard. M\xfcller</p></body></html>',
  'latin1',
);

function answerRefused(kind: Refused, status: number, res: ServerResponse): void {
  switch (kind) {
    case 'latin1':
      return void res.writeHead(status, { 'Content-Type': 'text/html; charset=iso-8859-1' }).end(LATIN1_PAGE);
    case 'declaredOverCap':
      res.writeHead(status, { 'Content-Length': String(OVER_CAP) });
      return void res.write('<');
    case 'streamedOverCap':
      // Written, not ended with it: no Content-Length, the cap is met while it streams.
      res.writeHead(status).write(STREAMED);
      return void res.end();
    case 'unknownEncoding':
      return void res.writeHead(status, { 'Content-Encoding': 'x-proprietary' }).end('zz');
    case 'brokenGzip':
      return void res.writeHead(status, { 'Content-Encoding': 'gzip' }).end('not gzip at all');
    case 'gzipBomb':
      return void res.writeHead(status, { 'Content-Encoding': 'gzip' }).end(BOMB);
  }
}

const batch = { listId: 7, optinProcessId: 0, recipientIds: ['a'], addresses: ['a@x.test'], attributeNames: [], attributeValues: [[]] };
const CALLS: Record<string, (client: OptimizelyPort) => Promise<unknown>> = {
  'Recipient.getCount': (client) => client.recipient.getCount({ listId: 7 }),
  'Recipient.addAll3': (client) => client.recipient.addAll3(batch),
  'Recipient.clear': (client) => client.recipient.clear({ listId: 7 }),
  'ClosedLoop.getOpens': (client) => client.closedLoop.getOpens({ since: 0, until: 1, startRow: 0, numberOfRows: 1000 }),
};

let server: HostileServer;
let client: OptimizelyPort;
beforeAll(async () => {
  server = await startHostileSoapServer();
  client = createOptimizelyClient(
    { baseUrl: server.url, mandatorId: 1, username: 'u', password: 'p', timeoutMs: 10_000 },
    { readRetryDelayMs: 1 },
  );
});
afterAll(async () => {
  await client.close().catch(() => undefined);
  await server.close();
});

const failureOf = (call: () => Promise<unknown>) =>
  call().then(
    () => undefined,
    (error: unknown) => error,
  );

describe('an HTTP error answer whose body the client refuses', () => {
  it('is the error its status gives with a readable page, naming the call; only a refused 200 answer is permanent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(200, 401, 403, 404, 408, 429, 500, 502, 503, 504), fc.integer({ min: 400, max: 599 })),
        fc.constantFrom(...REFUSED),
        fc.constantFrom(...Object.keys(CALLS)),
        async (status, kind, name) => {
          server.answer((res) => answerRefused(kind, status, res));
          const refused = await failureOf(() => CALLS[name]!(client));
          expect(refused).toBeInstanceOf(OptimizelyFaultError);
          expect((refused as Error).message.startsWith(`${name}: `)).toBe(true);
          expect((refused as Error).message).not.toMatch(/ssayez|M.ller/);
          if (status === 200) {
            expect(refused).toBeInstanceOf(OptimizelyResponseRejectedError);
            return;
          }
          server.answer((res) =>
            res.writeHead(status, { 'Content-Type': 'text/html' }).end('<html><body>Service unavailable</body></html>'),
          );
          const readable = await failureOf(() => CALLS[name]!(client));
          expect((refused as Error).name).toBe((readable as Error).name);
          expect(PERMANENT_ERROR_TYPES.includes((refused as Error).name as never)).toBe(
            PERMANENT_ERROR_TYPES.includes((readable as Error).name as never),
          );
          expect((refused as OptimizelyFaultError).httpStatus).toBe(status);
        },
      ),
      { numRuns: 80 },
    );
  });
});
