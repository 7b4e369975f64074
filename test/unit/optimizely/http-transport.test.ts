import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpTransport } from '../../../src/optimizely/client/http-transport';

/** Answers the first request on each connection and drops the connection at the second. */
async function serverDroppingReusedConnections() {
  const seen = new WeakMap<Socket, number>();
  let answered = 0;
  const server = http.createServer((req, res) => {
    const count = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, count);
    if (count > 1) return req.socket.destroy();
    req.resume();
    req.on('end', () => res.end(`answer ${++answered}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/soap11/RpcRecipient`);
  return { url, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe('createHttpTransport', () => {
  it('resends a read once on a fresh connection when a reused keep-alive connection was closed', async () => {
    const server = await serverDroppingReusedConnections();
    const transport = createHttpTransport({ maxSockets: 1 });
    try {
      const signal = new AbortController().signal;
      const read = { resendOnStaleConnection: true };
      expect(await transport.post(server.url, '<a/>', signal, 1024, read)).toEqual({ status: 200, body: 'answer 1' });
      expect(await transport.post(server.url, '<a/>', signal, 1024, read)).toEqual({ status: 200, body: 'answer 2' });
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('does not resend a write (the default) when a reused keep-alive connection was closed: the server may have read it', async () => {
    const server = await serverDroppingReusedConnections();
    const transport = createHttpTransport({ maxSockets: 1 });
    try {
      const signal = new AbortController().signal;
      expect(await transport.post(server.url, '<a/>', signal, 1024)).toEqual({ status: 200, body: 'answer 1' });
      await expect(transport.post(server.url, '<a/>', signal, 1024)).rejects.toMatchObject({ code: 'ECONNRESET' });
      await expect(transport.post(server.url, '<a/>', signal, 1024, { resendOnStaleConnection: false })).resolves.toEqual({
        status: 200,
        body: 'answer 2',
      });
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('does not resend when a fresh connection fails', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createHttpTransport({ maxSockets: 1 });
    let requests = 0;
    server.on('request', () => requests++);
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await expect(transport.post(url, '<a/>', new AbortController().signal, 1024)).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(requests).toBe(1);
    } finally {
      transport.close();
      server.close();
    }
  });
});
