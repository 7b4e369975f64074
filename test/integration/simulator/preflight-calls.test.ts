import { type Harness, OPTIN_LIST, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { FIELDS, positional } from '../../helpers/raw-soap';

// The calls a pre-flight check makes, answered like the real API: attribute names of a list (custom
// fields, then the system fields), a fault for a list the client does not have, and the opt-in ids.
describe('simulator pre-flight calls', () => {
  let h: Harness;
  let sid: string;
  beforeAll(async () => {
    h = await startHarness();
    sid = await h.login();
  });
  afterAll(() => h.close());

  const call = (service: string, op: string, args: Parameters<typeof positional>[1]) =>
    h.post(service, positional(op, [['xsd:string', sid], ...args]));

  it('answers getAttributeNames with the custom fields first, then the system fields', async () => {
    const reply = await call('RecipientList', 'getAttributeNames', [
      ['xsd:long', String(REGULAR_LIST)],
      ['xsd:string', 'en'],
    ]);
    expect(reply.value).toEqual([...FIELDS, 'Created', 'Modified', 'Opt-in Source', 'Opt-in Date']);
    expect(reply.text).toContain('soapenc:arrayType="soapenc:string[11]"');
  });

  it('faults getAttributeNames for a list the client does not have, naming the list id', async () => {
    const reply = await call('RecipientList', 'getAttributeNames', [
      ['xsd:long', '999'],
      ['xsd:string', 'en'],
    ]);
    expect(reply.status).toBe(500);
    expect(reply.fault).toContain('Recipient list does not exist');
    expect(reply.fault).toContain("recipientListId='999'");
  });

  it('answers each client with its own lists: another client’s list id is unknown to it', async () => {
    const other = await h.login(5678, 'other-user', 'other-secret');
    const ask = (listId: number) =>
      h.post(
        'RecipientList',
        positional('getAttributeNames', [
          ['xsd:string', other],
          ['xsd:long', String(listId)],
          ['xsd:string', 'en'],
        ]),
      );
    expect((await ask(OPTIN_LIST)).fault).toContain('Recipient list does not exist');
    expect((await ask(REGULAR_LIST)).value).toEqual(['email', 'Created', 'Modified', 'Opt-in Source', 'Opt-in Date']);
  });

  it('lists the list ids and opt-in process ids of the client', async () => {
    expect((await call('RecipientList', 'getAllIds', [])).value).toEqual(expect.arrayContaining([String(REGULAR_LIST)]));
    expect((await call('OptinProcess', 'getIds', [])).value).toEqual(['11', '12']);
  });
});
