// Reads an HTTP response body under a byte cap while it arrives: the cap applies to the bytes on
// the wire and to the bytes after decompression, and reading stops (the request is destroyed) the
// moment either passes it. The text is decoded as UTF-8 with fatal errors: a malformed byte is a
// refused response, never a silent U+FFFD in a name.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { TextDecoder } from 'node:util';
import { ResponseRejection } from './response-rejection';

/** Decompressors for the encodings a server or proxy may apply even unasked. */
const DECOMPRESSORS: Readonly<Record<string, () => Readable & NodeJS.WritableStream>> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** Resolves to the decoded body; rejects with ResponseRejection, or the stream's own error. */
export function readResponseBody(res: IncomingMessage, maxBytes: number, abort: (error: Error) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const streams: Readable[] = [res];
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
      abort(error);
      for (const stream of streams) stream.destroy();
    };
    const declared = Number(res.headers['content-length']);
    if (declared > maxBytes) return fail(new ResponseRejection(`response declares ${declared} bytes, over the cap of ${maxBytes}`));
    const source = decodedStream(res, maxBytes, fail);
    if (!source) return;
    streams.push(source);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const parts: string[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) return fail(new ResponseRejection(`response is larger than the cap of ${maxBytes} bytes`));
      const text = decodeOrUndefined(decoder, chunk, true);
      if (text === undefined) return fail(new ResponseRejection('response is not valid UTF-8'));
      parts.push(text);
    });
    source.on('error', (error: Error) => fail(source === res ? error : new ResponseRejection('response could not be decompressed')));
    source.on('end', () => {
      if (settled) return;
      settled = true;
      const tail = decodeOrUndefined(decoder, undefined, false);
      if (tail === undefined) reject(new ResponseRejection('response is not valid UTF-8'));
      else resolve(parts.join('') + tail);
    });
  });
}

/** The body as it should be read: the response itself, or its decompressor with the wire bytes counted. */
function decodedStream(res: IncomingMessage, maxBytes: number, fail: (error: Error) => void): Readable | undefined {
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return res;
  const create = Object.hasOwn(DECOMPRESSORS, encoding) ? DECOMPRESSORS[encoding] : undefined;
  if (!create) {
    const shown = /^[a-z0-9-]{1,20}$/.test(encoding) ? encoding : 'unknown';
    fail(new ResponseRejection(`response content encoding ${shown} is not supported`));
    return undefined;
  }
  const decompressor = create();
  let wire = 0;
  res.on('data', (chunk: Buffer) => {
    wire += chunk.length;
    if (wire > maxBytes) fail(new ResponseRejection(`response is larger than the cap of ${maxBytes} bytes`));
  });
  res.on('error', fail);
  res.pipe(decompressor);
  return decompressor;
}

function decodeOrUndefined(decoder: TextDecoder, chunk: Buffer | undefined, stream: boolean): string | undefined {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    return undefined;
  }
}
