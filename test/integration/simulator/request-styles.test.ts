import { type Harness, MANDATOR, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { FIELDS, named, positional, rowFor } from '../../helpers/raw-soap';

describe('simulator request styles', () => {
  let h: Harness;
  let sid: string;
  beforeAll(async () => {
    h = await startHarness();
    sid = await h.login();
  });
  afterAll(() => h.close());

  it('binds named parameters in any order with sessionId last and <element> items (Savon style)', async () => {
    const xml = named('Recipient', 'add2', {
      recipientListId: String(REGULAR_LIST),
      optinProcessId: '0',
      recipientId: 'named@example.com',
      address: 'named@example.com',
      attributeNames: ['firstname'],
      attributeValues: ['Nina'],
      sessionId: sid,
    });
    expect((await h.post('Recipient', xml)).value).toBe('0');
    expect((await h.post('Recipient', xml)).value).toBe('5');
  });

  it('binds positional in0… parameters with xsi:type and SOAP-ENC:arrayType (PowerShell style)', async () => {
    const ids = ['pos1@example.com', 'pos2@example.com'];
    const xml = positional('addAll3', [
      ['xsd:string', sid],
      ['xsd:long', String(REGULAR_LIST)],
      ['xsd:long', '0'],
      ['array', ids],
      ['array', ids],
      ['array', FIELDS],
      ['array2', ids.map(rowFor)],
    ]);
    const reply = await h.post('Recipient', xml);
    expect(reply.status).toBe(200);
    expect(reply.value).toEqual(['0', '0']);
  });

  it('accepts untyped positional parameters, any item names and xsi:nil values', async () => {
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<soapenv:Body><ns:addAll3 xmlns:ns="urn:whatever"><a>${sid}</a><b>${REGULAR_LIST}</b><c>0</c>` +
      '<d><x>nil@example.com</x></d><e><y>nil@example.com</y></e><f><z>firstname</z><z>description</z></f>' +
      '<g><row><v xsi:nil="true"/><v>kept</v></row></g></ns:addAll3></soapenv:Body></soapenv:Envelope>';
    expect((await h.post('Recipient', xml)).value).toEqual(['0']);
    const { json } = await h.admin('GET', `/admin/clients/${MANDATOR}/lists/${REGULAR_LIST}/recipients`);
    const stored = (json as { recipients: { recipientId: string; attributes: Record<string, unknown> }[] }).recipients.find(
      (r) => r.recipientId === 'nil@example.com',
    );
    expect(stored?.attributes).toEqual({ firstname: null, description: 'kept' });
  });

  it('follows href parameters to multiRef elements in the request', async () => {
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
      `<getCount><in0>${sid}</in0><in1 href="#id0"/><in2 href="#id1"/></getCount>` +
      `<multiRef id="id0">${REGULAR_LIST}</multiRef><multiRef id="id1">0</multiRef></soapenv:Body></soapenv:Envelope>`;
    const reply = await h.post('Recipient', xml);
    expect(reply.fault).toBeNull();
    expect(Number(reply.value)).toBeGreaterThan(0);
  });

  it('dispatches on the local name regardless of namespace and of the service path case', async () => {
    const res = await fetch(`${h.sim.url}/soap11/rpcrecipient`, { method: 'POST', body: positional('getVersion', []) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('getVersionReturn');
  });
});
