import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test's webhook receiver does with a request. */
export type ReceiverBehaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export const answerOk: ReceiverBehaviour = (_req, res) => res.writeHead(204).end();
export const answerFail: ReceiverBehaviour = (_req, res) => res.writeHead(503).end('down for the test');

/** A real HTTP receiver on a free loopback port: records every body it got, answers as told. */
export async function startAlertReceiver(behaviour: ReceiverBehaviour = answerOk) {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      receiver.behaviour(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver = {
    behaviour,
    bodies,
    /** The JSON payloads received, in order. */
    payloads: () => bodies.map((b) => JSON.parse(b) as Record<string, unknown>),
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret-token`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
