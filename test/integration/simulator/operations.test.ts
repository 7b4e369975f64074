import { type Harness, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { FIELDS, positional, rowFor } from '../../helpers/raw-soap';

describe('simulator read and maintenance operations', () => {
  let h: Harness;
  let sid: string;
  const L = String(REGULAR_LIST);
  beforeAll(async () => {
    h = await startHarness();
    sid = await h.login();
    const ids = ['b@example.com', 'a@example.com', 'c@example.com'];
    await h.post(
      'Recipient',
      positional('addAll3', [
        ['xsd:string', sid],
        ['xsd:long', L],
        ['xsd:long', '0'],
        ['array', ids],
        ['array', ids],
        ['array', FIELDS],
        ['array2', ids.map(rowFor)],
      ]),
    );
  });
  afterAll(() => h.close());

  const call = (service: string, op: string, args: Parameters<typeof positional>[1]) =>
    h.post(service, positional(op, [['xsd:string', sid], ...args]));

  it('lists attribute names with localized system fields', async () => {
    expect(
      (
        await call('RecipientList', 'getAttributeNames', [
          ['xsd:long', L],
          ['xsd:string', 'de'],
        ])
      ).value,
    ).toEqual([...FIELDS, 'Erstellt am', 'Geändert am', 'Opt-in-Quelle', 'Opt-in-Datum']);
    expect(
      (
        (
          await call('RecipientList', 'getAttributeNames', [
            ['xsd:long', L],
            ['xsd:string', 'en'],
          ])
        ).value as string[]
      ).at(-4),
    ).toBe('Created');
  });

  it('pages and sorts getAllAdvanced and flattens getAllAdvancedFlat row-major', async () => {
    const args: Parameters<typeof positional>[1] = [
      ['xsd:long', L],
      ['array', ['email', 'firstname']],
      ['xsd:long', '0'],
      ['xsd:string', 'email'],
      ['xsd:boolean', 'true'],
      ['xsd:int', '1'],
      ['xsd:int', '2'],
    ];
    expect((await call('Recipient', 'getAllAdvanced', args)).value).toEqual([
      ['b@example.com', 'Ann'],
      ['c@example.com', 'Ann'],
    ]);
    expect((await call('Recipient', 'getAllAdvancedFlat', args)).value).toEqual(['b@example.com', 'Ann', 'c@example.com', 'Ann']);
  });

  it('updates attributes in batch and reads them back', async () => {
    await call('Recipient', 'setAttributesInBatch', [
      ['xsd:long', L],
      ['array', ['a@example.com', 'b@example.com']],
      ['array2', [['firstname'], ['firstname']]],
      ['array2', [['Al'], ['Bo']]],
    ]);
    expect(
      (
        await call('Recipient', 'getAll', [
          ['xsd:long', L],
          ['array', ['email', 'firstname']],
        ])
      ).value,
    ).toEqual(
      expect.arrayContaining([
        ['a@example.com', 'Al'],
        ['b@example.com', 'Bo'],
      ]),
    );
  });

  it('answers list, blocklist, opt-in and bounce getters from the seed', async () => {
    expect((await call('RecipientList', 'getName', [['xsd:long', L]])).value).toBe('Newsletter');
    expect((await call('RecipientList', 'getCount', [['xsd:boolean', 'false']])).value).toBe('3');
    expect((await call('Blacklist', 'isBlacklisted', [['xsd:string', 'X@Blocked.Example']])).value).toBe('true');
    expect((await call('Blacklist', 'contains', [['xsd:string', 'x@blocked.example']])).value).toBe('false');
    expect((await call('Blacklist', 'getAllEntries', [])).value).toEqual(['*@blocked.example']);
    expect((await call('OptinProcess', 'getType', [['xsd:long', '11']])).value).toBe('double');
    expect(
      (
        await call('Response', 'getBounceCounter', [
          ['xsd:string', 'bouncy@example.com'],
          ['xsd:string', 'hardbounce'],
        ])
      ).value,
    ).toBe('3');
    expect((await call('Response', 'getBounceCounterThreshold', [['xsd:string', 'softbounce']])).value).toBe('5');
  });

  it('removes unsubscribed members, removes by id list and clears', async () => {
    await call('Unsubscribe', 'add', [
      ['xsd:long', '0'],
      ['xsd:string', 'c@example.com'],
    ]);
    expect((await call('Recipient', 'removeUnsubscribed', [['xsd:long', L]])).value).toBe('1');
    expect(
      (
        await call('Recipient', 'removeAll', [
          ['xsd:long', L],
          ['array', ['a@example.com', 'zz@example.com']],
        ])
      ).value,
    ).toEqual(['true', 'false']);
    expect((await call('Recipient', 'clear', [['xsd:long', L]])).text).toContain('<ns1:clearResponse');
    expect(
      (
        await call('Recipient', 'getCount', [
          ['xsd:long', L],
          ['xsd:long', '0'],
        ])
      ).value,
    ).toBe('0');
  });
});
