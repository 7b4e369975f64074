import http from 'node:http';
import fc from 'fast-check';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { createOptimizelyClient } from '../../../src/optimizely/client';
import { type Harness, MANDATOR, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';

/** A request with the path exactly as given (fetch and URL would resolve `..` before sending). */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('simulator against hostile requests', () => {
  let h: Harness;
  let sid: string;
  beforeAll(async () => {
    h = await startHarness();
    sid = await h.login();
  });
  afterAll(() => h.close());

  const envelope = (namespace: string, body: string) =>
    `<soapenv:Envelope xmlns:soapenv="${namespace}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
  const add2 = (listId: string, address: string) =>
    `<add2><in0>${sid}</in0><in1>${listId}</in1><in2>0</in2><in3>${address}</in3><in4>${address}</in4><in5/><in6/></add2>`;
  const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
  async function recipientIds(): Promise<string[]> {
    const { json } = await h.admin('GET', `/admin/clients/${MANDATOR}/lists/${REGULAR_LIST}/recipients`);
    return (json as { recipients: { recipientId: string }[] }).recipients.map((r) => r.recipientId);
  }

  it('does not route a SOAP path with dot segments to the admin surface', async () => {
    const admin = h.sim.adminHeaders;
    for (const path of ['/soap11/RpcRecipient/../../admin/faults', '/soap11/RpcRecipient/%2e%2e/%2e%2e/admin/faults', '//admin/faults']) {
      const reply = await rawRequest(h.sim.url, {
        method: 'POST',
        path,
        headers: { ...admin, 'content-type': 'application/json' },
        body: Buffer.from('{"errorRate":1}'),
      });
      expect(reply.status).toBe(400);
    }
    expect(((await h.admin('GET', '/admin/faults')).json as { errorRate: number }).errorRate).toBe(0);
  });

  it('answers the admin surface only with its token', async () => {
    expect((await rawRequest(h.sim.url, { method: 'GET', path: '/admin/faults' })).status).toBe(401);
    expect(
      (
        await rawRequest(h.sim.url, {
          method: 'GET',
          path: '/admin/faults',
          headers: { authorization: 'Bearer wrong-token-of-some-length' },
        })
      ).status,
    ).toBe(401);
    expect((await rawRequest(h.sim.url, { method: 'GET', path: '/admin/faults', headers: h.sim.adminHeaders })).status).toBe(200);
  });

  it('refuses malformed UTF-8 instead of storing M\uFFFDller', async () => {
    // Latin-1 'ü' (0xFC) where UTF-8 needs two bytes: a malformed sequence in the address.
    const withBadByte = Buffer.from(envelope(SOAP, add2(String(REGULAR_LIST), 'mXller@example.com')));
    for (let at = withBadByte.indexOf('mXller'); at !== -1; at = withBadByte.indexOf('mXller', at + 1)) withBadByte[at + 1] = 0xfc;
    const reply = await rawRequest(h.sim.url, {
      method: 'POST',
      path: '/soap11/RpcRecipient',
      headers: { 'content-type': 'text/xml' },
      body: withBadByte,
    });
    expect(reply.status).toBe(500);
    expect(reply.text).toContain('Request body is not valid UTF-8');
    expect((await recipientIds()).filter((id) => id.startsWith('m'))).toEqual([]);
  });

  it.each([
    ['an Envelope in another namespace', envelope('urn:not-soap', add2(String(REGULAR_LIST), 'ns@example.com')), 'no SOAP 1.1 Envelope'],
    ['&constructor;', envelope(SOAP, add2(String(REGULAR_LIST), 'a&constructor;@example.com')), 'undefined entity &constructor;'],
    ['&__proto__;', envelope(SOAP, add2(String(REGULAR_LIST), 'a&__proto__;@example.com')), 'undefined entity &__proto__;'],
    ['&#1;', envelope(SOAP, add2(String(REGULAR_LIST), 'a&#1;@example.com')), 'does not allow'],
    ['&#xD800;', envelope(SOAP, add2(String(REGULAR_LIST), 'a&#xD800;@example.com')), 'does not allow'],
    ['a bare &', envelope(SOAP, add2(String(REGULAR_LIST), 'a&b@example.com')), 'a bare &'],
    ['an unsafe integer list id', envelope(SOAP, add2('9007199254740993', 'big@example.com')), 'out of range'],
  ])('faults on %s and stores nothing', async (_name, xml, reason) => {
    const before = await recipientIds();
    const reply = await h.post('Recipient', xml);
    expect(reply.status).toBe(500);
    expect(reply.fault).toContain(reason);
    expect(await recipientIds()).toEqual(before);
  });

  it('caps sessions per client with a fault the client reads as transient', async () => {
    await h.admin('POST', '/admin/settings', { maxSessionsPerClient: 3 });
    try {
      await h.admin('POST', '/admin/sessions/expire');
      for (let i = 0; i < 3; i++) await h.login();
      await expect(h.login()).rejects.toThrow(FAULT_TEXTS.tooManySessions);
      const client = createOptimizelyClient({ baseUrl: h.sim.url, mandatorId: MANDATOR, username: 'api-user', password: 'secret' });
      await expect(client.login()).rejects.toBeInstanceOf(OptimizelyTransientError);
      await client.close();
    } finally {
      await h.admin('POST', '/admin/settings', { maxSessionsPerClient: 100 });
      await h.admin('POST', '/admin/sessions/expire');
      sid = await h.login();
    }
  });

  it('answers any bytes with a result or a SOAP fault, never an internal error', async () => {
    const valid = Buffer.from(envelope(SOAP, add2(String(REGULAR_LIST), 'prop@example.com')));
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((edits) => {
        const copy = Buffer.from(valid);
        for (const [at, byte] of edits) copy[at] = byte;
        return copy;
      });
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 1024 }).map((b) => Buffer.from(b)),
      mutated,
      fc.nat(valid.length).map((n) => valid.subarray(0, n)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const reply = await rawRequest(h.sim.url, {
          method: 'POST',
          path: '/soap11/RpcRecipient',
          headers: { 'content-type': 'text/xml' },
          body,
        });
        expect([200, 500]).toContain(reply.status);
        expect(reply.text).toContain('http://schemas.xmlsoap.org/soap/envelope/');
        expect(reply.text).not.toContain('internal error');
      }),
      { numRuns: 200 },
    );
  });
});
