// A small HTTP server that plays a hostile Optimizely endpoint: it answers login and logout properly (unless
// the test sets a login answer) and every other call with whatever the test sets, so the real client and
// transport read hostile bodies.
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOptimizelyClient } from '../../src/optimizely/client';
import type { OptimizelyPort } from '../../src/optimizely/client/optimizely-port';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../fixtures/soap', name));
const SESSION_ANSWERS: [string, Buffer][] = [
  [':login ', fixture('login-response.xml')],
  [':logout ', fixture('logout-response.xml')],
];

/** Writes the answer for one non-login call; `request` is the request's text (to answer by operation). */
export type HostileAnswer = (res: ServerResponse, request: string) => unknown;

export interface HostileServer {
  url: string;
  /** Sets the answer for the calls that follow. */
  answer(next: HostileAnswer): void;
  /** Sets the answer for the logins that follow (undefined: the proper one again). */
  answerLogin(next: HostileAnswer | undefined): void;
  client(): OptimizelyPort;
  close(): Promise<void>;
}

export async function startHostileSoapServer(): Promise<HostileServer> {
  let current: HostileAnswer = (res) => res.end();
  let login: HostileAnswer | undefined;
  const clients: OptimizelyPort[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = Buffer.concat(chunks).toString('utf8');
      if (login && request.includes(':login ')) return void login(res, request);
      const session = SESSION_ANSWERS.find(([marker]) => request.includes(marker));
      if (session) return void res.end(session[1]);
      void current(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    answer: (next) => {
      current = next;
    },
    answerLogin: (next) => {
      login = next;
    },
    client: () => {
      const client = createOptimizelyClient({ baseUrl: url, mandatorId: 1, username: 'u', password: 'p', timeoutMs: 10_000 });
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Streams `total` bytes of `fill` in chunks, waiting for drain; resolves with what was written before the client hung up. */
export function streamBytes(res: ServerResponse, head: Buffer, fill: Buffer, total: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
      resolve(written);
    });
    res.writeHead(200, { 'Content-Type': 'text/xml;charset=utf-8' });
    res.write(head);
    const pump = (): void => {
      while (!closed && written < total) {
        written += fill.length;
        if (!res.write(fill)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    pump();
  });
}

/**
 * A hostile server and one client on it for the whole test file (registers its own beforeAll /
 * afterAll); `answer` sets the server's answer, `call` runs a client call and settles it.
 */
export function hostileServerPerFile() {
  let server: HostileServer | undefined;
  let client: OptimizelyPort | undefined;
  beforeAll(async () => {
    server = await startHostileSoapServer();
    client = server.client();
  });
  afterAll(() => server?.close());
  return {
    answer: (next: HostileAnswer) => server!.answer(next),
    call: <T>(run: (client: OptimizelyPort) => Promise<T>): Promise<{ value: T } | { error: unknown }> =>
      run(client!).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
  };
}
