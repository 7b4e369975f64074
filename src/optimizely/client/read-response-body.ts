// Reads an HTTP response body under a byte cap while it arrives: the cap applies to the bytes on
// the wire and to the bytes after decompression, and reading stops (the request is destroyed) the
// moment either passes it. The text is decoded as UTF-8 with fatal errors: a malformed byte is a
// refused response, never a silent U+FFFD in a name. The bytes are kept until the end and checked
// and decoded in one pass each (buffer.isUtf8, then toString): a fatal TextDecoder fed chunk by chunk
// cost 4x the CPU for the same answer (WHATWG UTF-8 decode, a leading BOM dropped), on every
// 220 KB addAll3 response.
import { ownValue } from '../../own-value';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { isUtf8Name, shownName } from './codec/encoding-name';
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
  const refused = (message: string, cutShort = false) => new ResponseRejection(message, res.statusCode ?? 0, cutShort);
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
    const charset = declaredCharset(res.headers['content-type']);
    if (charset !== undefined && !isUtf8Name(charset)) return fail(refused(`response declares charset ${shownName(charset)}, not UTF-8`));
    const declared = Number(res.headers['content-length']);
    if (declared > maxBytes) return fail(refused(`response declares ${declared} bytes, over the cap of ${maxBytes}`));
    const source = decodedStream(res, maxBytes, fail, refused);
    if (!source) return;
    streams.push(source);
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) return fail(refused(`response is larger than the cap of ${maxBytes} bytes`));
      chunks.push(chunk);
    });
    source.on('error', (error: Error) => fail(source === res ? error : decompressionRefusal(error, refused)));
    source.on('end', () => {
      if (settled) return;
      settled = true;
      const bytes = Buffer.concat(chunks, size);
      const text = decodeUtf8(bytes);
      if (text !== undefined) resolve(text);
      else if (endsInsideCharacter(bytes)) reject(refused('response is not valid UTF-8: it ended early, inside a character', true));
      else reject(refused('response is not valid UTF-8'));
    });
  });
}

/**
 * The charset parameter of a Content-Type, unquoted, or undefined. The body is read as UTF-8 only:
 * bytes declared as another charset that happen to be valid UTF-8 (`Ã¼` sent as ISO-8859-1) would be
 * read as other text than the server meant (`ü`), so such an answer is refused, not guessed at.
 */
function declaredCharset(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  for (const parameter of contentType.split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    return parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** zlib's error for a stream that stops before its end (Z_BUF_ERROR) is a cut body; any other is a corrupt one. */
function decompressionRefusal(error: Error, refused: (message: string, cutShort?: boolean) => ResponseRejection): ResponseRejection {
  const code = (error as { code?: unknown }).code;
  if (code === 'Z_BUF_ERROR') return refused('response could not be decompressed: it ended early', true);
  return refused('response could not be decompressed');
}

/**
 * Whether invalid UTF-8 is valid up to an incomplete last character: a streaming fatal decoder
 * accepts exactly that (it holds the incomplete tail back) and refuses anything else. Only run on
 * the error path, so its cost does not matter.
 */
function endsInsideCharacter(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The body as it should be read: the response itself, or its decompressor with the wire bytes counted. */
function decodedStream(
  res: IncomingMessage,
  maxBytes: number,
  fail: (error: Error) => void,
  refused: (message: string) => ResponseRejection,
): Readable | undefined {
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return res;
  const create = ownValue(DECOMPRESSORS, encoding);
  if (!create) {
    const shown = /^[a-z0-9-]{1,20}$/.test(encoding) ? encoding : 'unknown';
    fail(refused(`response content encoding ${shown} is not supported`));
    return undefined;
  }
  const decompressor = create();
  let wire = 0;
  res.on('data', (chunk: Buffer) => {
    wire += chunk.length;
    if (wire > maxBytes) fail(refused(`response is larger than the cap of ${maxBytes} bytes`));
  });
  res.on('error', fail);
  res.pipe(decompressor);
  return decompressor;
}

/** The text of strictly valid UTF-8 (as a fatal TextDecoder reads it: one leading BOM dropped), or undefined. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
