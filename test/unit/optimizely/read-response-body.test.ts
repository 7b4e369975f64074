import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readResponseBody } from '../../../src/optimizely/client/read-response-body';
import { ResponseRejection } from '../../../src/optimizely/client/response-rejection';

const CHUNK = 16 * 1024;

/** A response whose body is produced chunk by chunk on demand, counting what was pulled. */
function response(chunks: Iterable<Buffer>, headers: Record<string, string> = {}) {
  const pulled = { chunks: 0 };
  function* counting() {
    for (const chunk of chunks) {
      pulled.chunks++;
      yield chunk;
    }
  }
  const res = Object.assign(Readable.from(counting(), { objectMode: false }), { headers }) as unknown as IncomingMessage;
  return { res, pulled };
}

function* endless(fill: Buffer) {
  for (;;) yield fill;
}

describe('readResponseBody', () => {
  it('stops pulling an endless body shortly after the cap and asks for the request to be aborted', async () => {
    const { res, pulled } = response(endless(Buffer.alloc(CHUNK, 'x')));
    const aborts: Error[] = [];
    await expect(readResponseBody(res, 64 * 1024, (error) => aborts.push(error))).rejects.toThrow(/larger than the cap of 65536 bytes/);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toBeInstanceOf(ResponseRejection);
    // Readable.from reads ahead by its high-water mark at most: nowhere near endless.
    expect(pulled.chunks).toBeLessThan((64 * 1024) / CHUNK + 8);
  });

  it('refuses a declared length over the cap without pulling the body', async () => {
    const { res, pulled } = response(endless(Buffer.alloc(CHUNK)), { 'content-length': String(1024 * 1024) });
    await expect(readResponseBody(res, 1024, () => undefined)).rejects.toThrow(/declares 1048576 bytes/);
    expect(pulled.chunks).toBe(0);
  });

  it('counts decompressed bytes, so a small gzip bomb is cut off at the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
    const { res } = response([bomb], { 'content-encoding': 'gzip' });
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(readResponseBody(res, 64 * 1024, () => undefined)).rejects.toThrow(ResponseRejection);
  });

  it('decodes UTF-8 split across chunks and refuses a malformed or truncated sequence', async () => {
    const mueller = Buffer.from('Müller');
    const split = response([mueller.subarray(0, 2), mueller.subarray(2)]);
    await expect(readResponseBody(split.res, 1024, () => undefined)).resolves.toBe('Müller');
    await expect(readResponseBody(response([Buffer.from([0x4d, 0xfc, 0x6c])]).res, 1024, () => undefined)).rejects.toThrow(
      /not valid UTF-8/,
    );
    await expect(readResponseBody(response([mueller.subarray(0, 2)]).res, 1024, () => undefined)).rejects.toThrow(/not valid UTF-8/);
  });

  it('refuses a corrupt compressed body and an unknown encoding', async () => {
    await expect(
      readResponseBody(response([Buffer.from('not gzip')], { 'content-encoding': 'gzip' }).res, 1024, () => undefined),
    ).rejects.toThrow(/could not be decompressed/);
    await expect(
      readResponseBody(response([Buffer.from('x')], { 'content-encoding': 'compress' }).res, 1024, () => undefined),
    ).rejects.toThrow(/content encoding compress is not supported/);
  });
});

describe('readResponseBody decoding, against a fatal TextDecoder', () => {
  // Bytes a hostile or broken server may send: valid text of any plane, BOMs, and the sequences UTF-8
  // forbids (overlong forms, encoded surrogates, code points past U+10FFFF, stray continuation bytes,
  // truncated sequences), cut into chunks at arbitrary places.
  const forbidden = [
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xed, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0x80],
    [0xbf],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
    [0xff],
    [0xfe],
  ].map((bytes) => Buffer.from(bytes));
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }).map((text) => Buffer.from(text)),
    fc.constant(Buffer.from([0xef, 0xbb, 0xbf])),
    fc.constantFrom(...forbidden),
    fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes)),
  );
  const body = fc.array(piece, { maxLength: 12 }).map((pieces) => Buffer.concat(pieces));

  it('answers the same text, or refuses exactly the bodies it refuses, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 4 }), async (bytes, cuts) => {
        let expected: string | undefined;
        try {
          expected = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          expected = undefined;
        }
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length)).filter((c) => c.length > 0);
        const read = readResponseBody(response(chunks).res, 1024, () => undefined);
        if (expected === undefined) await expect(read).rejects.toThrow(/not valid UTF-8/);
        else await expect(read).resolves.toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
