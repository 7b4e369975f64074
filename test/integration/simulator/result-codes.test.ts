import { FILTERED_LIST, type Harness, MANDATOR, OPTIN_LIST, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { FIELDS, named, positional, rowFor } from '../../helpers/raw-soap';

function addAll3(sid: string, listId: number, ids: string[], optinProcessId = 0, addresses = ids): string {
  return positional('addAll3', [
    ['xsd:string', sid],
    ['xsd:long', String(listId)],
    ['xsd:long', String(optinProcessId)],
    ['array', ids],
    ['array', addresses],
    ['array', FIELDS],
    ['array2', ids.map(rowFor)],
  ]);
}

describe('addAll3 result codes', () => {
  let h: Harness;
  let sid: string;
  beforeEach(async () => {
    h = await startHarness();
    sid = await h.login();
  });
  afterEach(() => h.close());

  it('answers one code per recipient in input order with the documented precedence', async () => {
    await h.post('Recipient', addAll3(sid, REGULAR_LIST, ['existing@example.com']));
    const ids = [
      'new@example.com', // 0 added
      'not-an-address', // 1 invalid
      'gone@example.com', // 2 unsubscribed on a regular list
      'someone@blocked.example', // 3 blocklisted by wildcard
      'bouncy@example.com', // 4 hard bounces at the threshold
      'new@example.com', // 5 duplicate inside the batch
      'existing@example.com', // 5 already in the list
    ];
    const reply = await h.post('Recipient', addAll3(sid, REGULAR_LIST, ids));
    expect(reply.value).toEqual(['0', '1', '2', '3', '4', '5', '5']);
  });

  it('puts blocklisting before unsubscription and invalidity before everything', async () => {
    await h.post(
      'Unsubscribe',
      positional('add', [
        ['xsd:string', sid],
        ['xsd:long', '0'],
        ['xsd:string', 'x@blocked.example'],
      ]),
    );
    const reply = await h.post('Recipient', addAll3(sid, REGULAR_LIST, ['x@blocked.example', 'bad address@blocked.example']));
    expect(reply.value).toEqual(['3', '1']);
  });

  it('re-activates an unsubscribed recipient on an opt-in list and clears the unsubscribe', async () => {
    const reply = await h.post('Recipient', addAll3(sid, OPTIN_LIST, ['gone@example.com']));
    expect(reply.value).toEqual(['0']);
    const contains = await h.post(
      'Unsubscribe',
      positional('contains', [
        ['xsd:string', sid],
        ['xsd:string', 'gone@example.com'],
      ]),
    );
    expect(contains.value).toBe('false');
  });

  it('keeps an unsubscribed recipient unsubscribed on a regular list', async () => {
    await h.post('Recipient', addAll3(sid, REGULAR_LIST, ['gone@example.com']));
    const contains = await h.post(
      'Unsubscribe',
      positional('contains', [
        ['xsd:string', sid],
        ['xsd:string', 'gone@example.com'],
      ]),
    );
    expect(contains.value).toBe('true');
  });

  it('does not update the data of a recipient that is already in the list', async () => {
    const add = (first: string) =>
      h.post(
        'Recipient',
        named('Recipient', 'add2', {
          sessionId: sid,
          recipientListId: String(REGULAR_LIST),
          optinProcessId: '0',
          recipientId: 'keep@example.com',
          address: 'keep@example.com',
          attributeNames: ['firstname'],
          attributeValues: [first],
        }),
      );
    expect((await add('First')).value).toBe('0');
    expect((await add('Second')).value).toBe('5');
    const { json } = await h.admin('GET', `/admin/clients/${MANDATOR}/lists/${REGULAR_LIST}/recipients`);
    expect((json as { recipients: { attributes: { firstname: string } }[] }).recipients[0]?.attributes.firstname).toBe('First');
  });

  it('answers 6 for a recipient the list filter excludes', async () => {
    const ids = ['a@filtered.example', 'b@example.com'];
    const xml = positional('addAll3', [
      ['xsd:string', sid],
      ['xsd:long', String(FILTERED_LIST)],
      ['xsd:long', '0'],
      ['array', ids],
      ['array', ids],
      ['array', ['firstname']],
      ['array2', [['A'], ['B']]],
    ]);
    expect((await h.post('Recipient', xml)).value).toEqual(['6', '0']);
  });

  it('answers 5 before 6 for a member of a filtered list and 5 for a repeat within one call', async () => {
    const post = (ids: string[]) =>
      h.post(
        'Recipient',
        positional('addAll3', [
          ['xsd:string', sid],
          ['xsd:long', String(FILTERED_LIST)],
          ['xsd:long', '0'],
          ['array', ids],
          ['array', ids],
          ['array', ['firstname']],
          ['array2', ids.map(() => ['A'])],
        ]),
      );
    expect((await post(['b@example.com', 'b@example.com'])).value).toEqual(['0', '5']);
    await h.admin('POST', '/admin/faults', { recipientErrorRate: 1 });
    expect((await post(['b@example.com', 'a@filtered.example'])).value).toEqual(['5', '6']);
  });

  it('answers 7 when recipient errors are injected', async () => {
    await h.admin('POST', '/admin/faults', { recipientErrorRate: 1 });
    expect((await h.post('Recipient', addAll3(sid, REGULAR_LIST, ['err@example.com']))).value).toEqual(['7']);
  });

  it('leaves a double opt-in recipient pending and replaces the pending entry on a second add', async () => {
    expect((await h.post('Recipient', addAll3(sid, OPTIN_LIST, ['doi@example.com'], 11))).value).toEqual(['0']);
    expect((await h.post('Recipient', addAll3(sid, OPTIN_LIST, ['doi@example.com'], 11))).value).toEqual(['0']);
    const valid = await h.post(
      'Recipient',
      positional('containsValid', [
        ['xsd:string', sid],
        ['xsd:long', String(OPTIN_LIST)],
        ['xsd:string', 'doi@example.com'],
      ]),
    );
    expect(valid.value).toBe('false');
  });

  it('answers 5 for a repeated double opt-in recipient inside one batch', async () => {
    expect((await h.post('Recipient', addAll3(sid, OPTIN_LIST, ['twice@example.com', 'twice@example.com'], 11))).value).toEqual(['0', '5']);
  });

  it('returns 4 after injected hard bounces reach the threshold', async () => {
    await h.admin('POST', `/admin/clients/${MANDATOR}/events`, {
      events: [1, 2, 3].map(() => ({ type: 'hardbounce', recipientId: 'hb@example.com' })),
    });
    expect((await h.post('Recipient', addAll3(sid, REGULAR_LIST, ['hb@example.com']))).value).toEqual(['4']);
  });
});
