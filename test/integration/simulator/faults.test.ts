import { type Harness, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { faultDrawFor } from '../../../src/simulator/fault-draws';
import { FIELDS, named, positional, rowFor } from '../../helpers/raw-soap';

const IMPL = 'broadmail.api.soap11.impl.WebserviceImplException: ';

describe('simulator faults', () => {
  let h: Harness;
  let sid: string;
  beforeAll(async () => {
    h = await startHarness();
    sid = await h.login();
  });
  afterAll(() => h.close());

  const addAll3 = (ids: string[], addresses = ids, names = FIELDS, rows = ids.map(rowFor), listId = REGULAR_LIST) =>
    h.post(
      'Recipient',
      positional('addAll3', [
        ['xsd:string', sid],
        ['xsd:long', String(listId)],
        ['xsd:long', '0'],
        ['array', ids],
        ['array', addresses],
        ['array', names],
        ['array2', rows],
      ]),
    );

  it('answers wrong credentials with HTTP 500, Server.userException and "Invalid credentials."', async () => {
    const reply = await h.post(
      'Session',
      positional('login', [
        ['xsd:long', '1234'],
        ['xsd:string', 'api-user'],
        ['xsd:string', 'wrong'],
      ]),
    );
    expect(reply.status).toBe(500);
    expect(reply.faultCode).toBe('soapenv:Server.userException');
    expect(reply.fault).toBe(`${IMPL}Invalid credentials.`);
  });

  it('answers an unknown operation with a fault', async () => {
    const reply = await h.post('Recipient', positional('noSuchThing', [['xsd:string', sid]]));
    expect(reply.status).toBe(500);
    expect(reply.fault).toContain("No such operation 'noSuchThing'");
  });

  it('refuses more than 1000 elements without writing anything', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `big${i}@example.com`);
    const reply = await addAll3(
      ids,
      ids,
      ['firstname'],
      ids.map(() => ['x']),
    );
    expect(reply.fault).toContain('Too many elements, the maximum per call is 1000');
    const count = await h.post(
      'Recipient',
      positional('getCount', [
        ['xsd:string', sid],
        ['xsd:long', String(REGULAR_LIST)],
        ['xsd:long', '0'],
      ]),
    );
    expect(count.value).toBe('0');
  });

  it('refuses arrays of different lengths', async () => {
    const reply = await addAll3(['a@example.com', 'b@example.com'], ['a@example.com']);
    expect(reply.fault).toContain('Array lengths do not match');
  });

  it('refuses unknown attribute names and unknown lists', async () => {
    expect((await addAll3(['a@example.com'], undefined, ['nope'], [['x']])).fault).toContain('Unknown attribute name');
    expect((await addAll3(['a@example.com'], undefined, FIELDS, undefined, 999)).fault).toContain(
      "Recipient list does not exist for call: recipientListId='999'",
    );
  });

  it('echoes the call in "Recipient does not exist" when removing a non-member', async () => {
    const reply = await h.post(
      'Recipient',
      named('Recipient', 'remove', { recipientListId: String(REGULAR_LIST), recipientId: 'ghost@example.com', sessionId: sid }),
    );
    expect(reply.fault).toBe(
      `${IMPL}[${sid},1234,api-user] Recipient does not exist for call: recipientListId='${REGULAR_LIST}', recipientId='ghost@example.com'`,
    );
  });

  it('names every missing id when a batch update fails, and updates nothing', async () => {
    await addAll3(['one@example.com']);
    const xml = positional('setAttributesInBatchFlat', [
      ['xsd:string', sid],
      ['xsd:long', String(REGULAR_LIST)],
      ['array', ['one@example.com', 'x@example.com', 'y@example.com']],
      ['array', ['firstname']],
      ['array', ['A', 'B', 'C']],
    ]);
    const reply = await h.post('Recipient', xml);
    expect(reply.fault).toContain(`Error updating users in userlist #${REGULAR_LIST}`);
    expect(reply.fault).toContain('Recipients x@example.com,y@example.com do not exist');
    const attrs = await h.post(
      'Recipient',
      positional('getAttributes', [
        ['xsd:string', sid],
        ['xsd:long', String(REGULAR_LIST)],
        ['xsd:string', 'one@example.com'],
        ['array', ['firstname']],
      ]),
    );
    expect(attrs.value).toEqual(['Ann']);
  });

  it('says "No unsubscribe found" when removing an id that is not unsubscribed', async () => {
    const reply = await h.post(
      'Unsubscribe',
      positional('remove', [
        ['xsd:string', sid],
        ['xsd:string', 'never@example.com'],
      ]),
    );
    expect(reply.fault).toContain('No unsubscribe found');
  });

  it('answers injected faults and HTTP 503s, then recovers', async () => {
    await h.admin('POST', '/admin/faults', { failNextCalls: 1, unavailableNextCalls: 1 });
    const getVersion = positional('getVersion', []);
    expect((await h.post('Session', getVersion)).status).toBe(503);
    expect((await h.post('Session', getVersion)).fault).toContain('Simulated internal error');
    expect((await h.post('Session', getVersion)).status).toBe(200);
  });

  it('injects the same errorRate faults for the same randomSeed, in the order its draws give', async () => {
    const getVersion = positional('getVersion', []);
    const faultPattern = async (settings: object) => {
      await h.admin('POST', '/admin/faults', settings);
      const replies = [];
      for (let i = 0; i < 40; i += 1) replies.push(await h.post('Session', getVersion));
      await h.admin('DELETE', '/admin/faults');
      return replies.map((r) => (r.fault?.includes('Simulated internal error') ? 'F' : r.status === 200 ? '.' : '?')).join('');
    };
    const draw = faultDrawFor(7);
    const expected = Array.from({ length: 40 }, () => (draw() < 0.5 ? 'F' : '.')).join('');
    expect(expected).toMatch(/F/);
    expect(expected).toMatch(/\./);
    expect(await faultPattern({ errorRate: 0.5, randomSeed: 7 })).toBe(expected);
    expect(await faultPattern({ errorRate: 0.5, randomSeed: 7 })).toBe(expected);
    expect(await faultPattern({ errorRate: 0.5, randomSeed: 8 })).not.toBe(expected);
    expect((await h.adminJson<{ randomSeed?: number }>('GET', 'faults')).randomSeed).toBeUndefined();
  });
});
