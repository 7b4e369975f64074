import type { IncomingMessage } from 'node:http';
import { TextDecoder } from 'node:util';
import { BodyEncodingError } from './body-encoding-error';
import { BodyTooLargeError } from './body-too-large-error';

/**
 * Reads a request body as UTF-8, refusing it as soon as it passes `limit` bytes, and refusing
 * malformed UTF-8 rather than turning it into U+FFFD (`M\uFFFDller` would be stored as a name).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new BodyEncodingError());
      }
    });
    req.on('error', reject);
  });
}
