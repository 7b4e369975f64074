import { type Harness, MANDATOR, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';

describe('simulator XML hardening', () => {
  let h: Harness;
  let sid: string;
  beforeAll(async () => {
    h = await startHarness({ maxBodyBytes: 64 * 1024 });
    sid = await h.login();
  });
  afterAll(() => h.close());

  const add2 = (address: string) =>
    `<soapenv:Body><add2><in0>${sid}</in0><in1>${REGULAR_LIST}</in1><in2>0</in2><in3>${address}</in3><in4>${address}</in4><in5/><in6/></add2></soapenv:Body>`;
  const envelope = (prolog: string, body: string) =>
    `<?xml version="1.0"?>${prolog}<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">${body}</soapenv:Envelope>`;

  async function recipientCount(): Promise<number> {
    const { json } = await h.admin('GET', `/admin/clients/${MANDATOR}/lists/${REGULAR_LIST}/recipients`);
    return (json as { recipients: unknown[] }).recipients.length;
  }

  it('refuses an external entity (XXE) and processes nothing', async () => {
    const xml = envelope('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', add2('&xxe;'));
    const reply = await h.post('Recipient', xml);
    expect(reply.status).toBe(500);
    expect(reply.fault).toContain('Malformed request');
    expect(reply.text).not.toContain('root:');
    expect(await recipientCount()).toBe(0);
  });

  it('refuses entity expansion (billion laughs)', async () => {
    const dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
    const reply = await h.post('Recipient', envelope(dtd, add2('&lol2;@example.com')));
    expect(reply.fault).toContain('Malformed request');
    expect(await recipientCount()).toBe(0);
  });

  it('refuses an undeclared entity reference', async () => {
    expect((await h.post('Recipient', envelope('', add2('&foo;@example.com')))).fault).toContain('undefined entity');
  });

  it('refuses malformed XML', async () => {
    expect((await h.post('Recipient', envelope('', '<soapenv:Body><add2><in0>x</in1></add2></soapenv:Body>'))).fault).toContain(
      'Malformed request',
    );
    expect((await h.post('Recipient', 'not xml at all')).fault).toContain('Malformed request');
  });

  it('refuses a body over the size limit', async () => {
    const reply = await h.post('Recipient', envelope('', add2('x'.repeat(70 * 1024))));
    expect(reply.status).toBe(500);
    expect(reply.fault).toContain('exceeds 65536 bytes');
  });

  it('decodes predefined entities and character references in values', async () => {
    const reply = await h.post('Recipient', envelope('', add2('a&#x2B;b&amp;c@example.com')));
    expect(reply.value).toBe('0');
    const { json } = await h.admin('GET', `/admin/clients/${MANDATOR}/lists/${REGULAR_LIST}/recipients`);
    expect((json as { recipients: { recipientId: string }[] }).recipients.map((r) => r.recipientId)).toContain('a+b&c@example.com');
  });
});
