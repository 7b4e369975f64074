import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/body';

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBody(req, limit);
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
