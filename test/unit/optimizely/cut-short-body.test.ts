// A body delimited by the connection's close (no Content-Length, not chunked) that a proxy cuts short
// ends like a whole one. Cut plain XML was already a retryable unreadable answer; the same cut in a
// gzip, deflate or brotli body, or inside a UTF-8 character, was the permanent
// OptimizelyResponseRejectedError ("could not be decompressed", "not valid UTF-8"), which ends the
// activity's retries on a passing network fault. The property serves a real answer over real HTTP,
// compressed or not, cut at any byte, and checks that what comes back is the whole answer or a
// retryable error; a corrupt body (not a cut one) stays refused for good.
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { OptimizelyResponseRejectedError } from '../../../src/errors/optimizely-response-rejected-error';
import { hostileServerPerFile } from '../../helpers/hostile-soap-server';

const COMPRESSORS = {
  identity: (body: Buffer) => body,
  gzip: gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
} satisfies Record<string, (body: Buffer) => Buffer>;

const nameAnswer = (name: string) =>
  Buffer.from(
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns1:getNameResponse xmlns:ns1="urn:x">' +
      `<getNameReturn>${name}</getNameReturn></ns1:getNameResponse></soapenv:Body></soapenv:Envelope>`,
  );

/** Writes a raw HTTP/1.1 answer whose body ends when the connection closes, with `bytes` of it sent. */
const connectionDelimited = (encoding: string, bytes: Buffer) => (res: ServerResponse) => {
  const head = `HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=utf-8\r\nContent-Encoding: ${encoding}\r\nConnection: close\r\n\r\n`;
  res.socket!.end(Buffer.concat([Buffer.from(head, 'latin1'), bytes]));
};

const server = hostileServerPerFile();

describe('a response body cut short by the connection closing', () => {
  it('reads the whole answer, or fails with a retryable error naming the call', async () => {
    // Whole characters only (a class in a pattern would split 😀 into lone surrogates): one to four bytes each.
    const names = fc
      .array(fc.constantFrom('a', 'Z', ' ', 'ä', 'ß', 'Ü', '€', '😀'), { minLength: 1, maxLength: 40 })
      .map((chars) => chars.join(''));
    await fc.assert(
      fc.asyncProperty(
        names,
        fc.constantFrom(...(Object.keys(COMPRESSORS) as (keyof typeof COMPRESSORS)[])),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (name, encoding, at) => {
          const whole = COMPRESSORS[encoding](nameAnswer(name));
          const cut = Math.floor(at * whole.length);
          server.answer(connectionDelimited(encoding, whole.subarray(0, cut)));
          const outcome = await server.call((client) => client.recipientList.getName({ listId: 1 }));
          if ('value' in outcome) {
            expect(outcome.value).toBe(name);
            return;
          }
          expect(outcome.error).toBeInstanceOf(OptimizelyFaultError);
          expect(outcome.error).not.toBeInstanceOf(OptimizelyResponseRejectedError);
          expect((outcome.error as { constructor: { retryable?: boolean } }).constructor.retryable).toBe(true);
          expect((outcome.error as Error).message).toMatch(/getName/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('still refuses a corrupt compressed body and invalid UTF-8 in the middle for good', async () => {
    server.answer(connectionDelimited('gzip', Buffer.from('not gzip at all')));
    const corrupt = await server.call((client) => client.recipientList.getName({ listId: 1 }));
    expect('error' in corrupt && corrupt.error).toBeInstanceOf(OptimizelyResponseRejectedError);
    const invalid = Buffer.concat([nameAnswer('M').subarray(0, 150), Buffer.from([0xff]), nameAnswer('M').subarray(150)]);
    server.answer(connectionDelimited('identity', invalid));
    const refused = await server.call((client) => client.recipientList.getName({ listId: 1 }));
    expect('error' in refused && refused.error).toBeInstanceOf(OptimizelyResponseRejectedError);
  });

  it('reads a cut inside a character as a retryable answer, not a refused one', async () => {
    const whole = nameAnswer('Müller 😀');
    const cut = whole.indexOf(Buffer.from('😀')) + 2;
    server.answer(connectionDelimited('identity', whole.subarray(0, cut)));
    const outcome = await server.call((client) => client.recipientList.getName({ listId: 1 }));
    expect('error' in outcome && outcome.error).toBeInstanceOf(OptimizelyResponseError);
    expect('error' in outcome && outcome.error).not.toBeInstanceOf(OptimizelyResponseRejectedError);
  });
});
