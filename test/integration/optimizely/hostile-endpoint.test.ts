import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { OptimizelyResponseRejectedError } from '../../../src/errors/optimizely-response-rejected-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { createOptimizelyClient } from '../../../src/optimizely/client';
import { BATCH_ARRAY_CAP, SINGLE_VALUE_CAP } from '../../../src/optimizely/api/response-caps';
import { type HostileServer, startHostileSoapServer, streamBytes } from '../../helpers/hostile-soap-server';
import { addAll3Response } from '../../unit/optimizely/soap-fixtures';

const batch = {
  listId: 1,
  optinProcessId: 0,
  recipientIds: ['a@example.com', 'b@example.com'],
  addresses: ['a@example.com', 'b@example.com'],
  attributeNames: [],
  attributeValues: [[], []],
};
const NAME_RESPONSE = (name: Buffer) =>
  Buffer.concat([
    Buffer.from(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns1:getNameResponse xmlns:ns1="urn:x"><getNameReturn>',
    ),
    name,
    Buffer.from('</getNameReturn></ns1:getNameResponse></soapenv:Body></soapenv:Envelope>'),
  ]);

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileSoapServer();
});
afterAll(() => server.close());

describe('Optimizely client against a hostile endpoint', () => {
  it('stops reading a response at the operation cap and refuses it for good', async () => {
    let written: Promise<number> = Promise.resolve(0);
    server.answer((res) => {
      written = streamBytes(
        res,
        Buffer.from('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'),
        Buffer.alloc(64 * 1024, ' '),
        256 * 1024 * 1024,
      );
    });
    const error = await server
      .client()
      .recipient.addAll3(batch)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseRejectedError);
    expect((error as Error).message).toMatch(new RegExp(`larger than the cap of ${BATCH_ARRAY_CAP} bytes`));
    // The client hung up: the server got nowhere near its 256 MiB.
    expect(await written).toBeLessThan(BATCH_ARRAY_CAP + 16 * 1024 * 1024);
  });

  it('refuses a declared length over the cap before reading', async () => {
    server.answer((res) => {
      res.writeHead(200, { 'Content-Length': String(SINGLE_VALUE_CAP + 1) });
      res.write('<');
    });
    const error = await server
      .client()
      .recipientList.getName({ listId: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseRejectedError);
    expect((error as Error).message).toMatch(/declares 262145 bytes/);
  });

  it('counts decompressed bytes: a gzip bomb is refused, a small gzip answer is read', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, ' '));
    server.answer((res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(bomb));
    await expect(server.client().recipient.addAll3(batch)).rejects.toThrow(OptimizelyResponseRejectedError);
    server.answer((res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(addAll3Response([0, 5]))));
    await expect(server.client().recipient.addAll3(batch)).resolves.toEqual([0, 5]);
  });

  it('refuses an unknown content encoding without echoing it', async () => {
    server.answer((res) => res.writeHead(200, { 'Content-Encoding': 'x-evil; S3cretPW' }).end('zz'));
    const error = await server
      .client()
      .recipient.addAll3(batch)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseRejectedError);
    expect((error as Error).message).toMatch(/content encoding unknown is not supported/);
  });

  it('refuses malformed UTF-8 instead of reading M\uFFFDller', async () => {
    server.answer((res) => res.end(NAME_RESPONSE(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]))));
    const error = await server
      .client()
      .recipientList.getName({ listId: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseRejectedError);
    expect((error as Error).message).toMatch(/not valid UTF-8/);
    server.answer((res) => res.end(NAME_RESPONSE(Buffer.from('Müller'))));
    await expect(server.client().recipientList.getName({ listId: 1 })).resolves.toBe('Müller');
  });

  it('does not read an HTML page that mentions addAll3Response as success', async () => {
    server.answer((res) => res.end(`<html><body>${addAll3Response([0, 5]).replace(/^.*<soapenv:Body>/, '')}</body></html>`));
    const error = await server
      .client()
      .recipient.addAll3(batch)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseError);
    expect(error).not.toBeInstanceOf(OptimizelyResponseRejectedError);
  });

  it('lets an unprefixed Fault beside a response win', async () => {
    const withFault = addAll3Response([0, 5]).replace(
      '</soapenv:Body>',
      '<Fault><faultcode>soapenv:Server</faultcode><faultstring>[1, u, S3cretPW] boom</faultstring></Fault></soapenv:Body>',
    );
    server.answer((res) => res.end(withFault));
    const error = await server
      .client()
      .recipient.addAll3(batch)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyFaultError);
    expect((error as Error).message).toBe('Recipient.addAll3: list 1: fault soapenv:Server: unrecognised fault text (withheld)');
  });

  it('gives up on an answer that drips bytes and never ends, at the per-call deadline, naming the call but no recipient', async () => {
    server.answer((res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml;charset=utf-8' });
      res.write('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>');
      // One byte now and then, never the end: no size cap is ever reached.
      const drip = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(drip));
    });
    const client = createOptimizelyClient({ baseUrl: server.url, mandatorId: 1, username: 'u', password: 'p', timeoutMs: 500 });
    try {
      const error = await client.recipient.addAll3(batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OptimizelyTransientError);
      expect((error as Error).message).toMatch(/^Recipient\.addAll3: .*timed out after 500 ms$/);
      expect((error as Error).message).not.toContain('example.com');
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it('answers any bytes with a result or a typed error, never a hang or a misread success', async () => {
    const valid = Buffer.from(addAll3Response([0, 5]));
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = Buffer.from(valid);
        for (const [at, byte] of edits) copy[at] = byte;
        return copy;
      });
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
      mutated,
      fc.nat(valid.length).map((n) => valid.subarray(0, n)),
    );
    const client = server.client();
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        server.answer((res) => res.end(body));
        const outcome = await client.recipient.addAll3(batch).then(
          (codes) => ({ codes }),
          (error: unknown) => ({ error }),
        );
        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(OptimizelyFaultError);
          expect((outcome.error as Error).message).not.toMatch(/timed out/);
          return;
        }
        const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
        expect(text).toContain('http://schemas.xmlsoap.org/soap/envelope/');
        expect(text).not.toMatch(/Fault/);
        expect(outcome.codes).toHaveLength(2);
      }),
      { numRuns: 150 },
    );
  });
});
