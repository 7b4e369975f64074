import { type Harness, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { FIELDS, positional, rowFor } from '../../helpers/raw-soap';

describe('simulator multiRef responses', () => {
  let h: Harness;
  let sid: string;
  afterEach(() => h.close());

  const addAll3 = (ids: string[]) =>
    positional('addAll3', [
      ['xsd:string', sid],
      ['xsd:long', String(REGULAR_LIST)],
      ['xsd:long', '0'],
      ['array', ids],
      ['array', ids],
      ['array', FIELDS],
      ['array2', ids.map(rowFor)],
    ]);

  it('writes int arrays as hrefs to multiRefs in document order by default', async () => {
    h = await startHarness();
    sid = await h.login();
    const reply = await h.post('Recipient', addAll3(['a@example.com', 'b@example.com']));
    expect(reply.text).toContain('<addAll3Return href="#id0"/><addAll3Return href="#id1"/>');
    expect(reply.text).toContain('<multiRef id="id0" soapenc:root="0"');
    expect(reply.text).toContain('xsi:type="xsd:int"');
    expect(reply.multiRefIds).toEqual(['id0', 'id1']);
  });

  it('shuffles multiRef order in shuffle mode while hrefs still resolve to the right codes', async () => {
    h = await startHarness({ shuffleMultiRefs: true });
    sid = await h.login();
    const ids = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? `ok${i}@example.com` : `bad-${i}`));
    const reply = await h.post('Recipient', addAll3(ids));
    expect(reply.multiRefIds).not.toEqual(ids.map((_, i) => `id${i}`));
    expect(reply.value).toEqual(ids.map((_, i) => (i % 2 === 0 ? '0' : '1')));
  });

  it('writes booleans and longs as multiRefs and strings inline', async () => {
    h = await startHarness();
    sid = await h.login();
    const ids = await h.post('RecipientList', positional('getAllIds', [['xsd:string', sid]]));
    expect(ids.value).toEqual(['100', '200', '300']);
    expect(ids.text).toContain('soapenc:arrayType="xsd:long[3]"');
    const name = await h.post(
      'RecipientList',
      positional('getName', [
        ['xsd:string', sid],
        ['xsd:long', '100'],
      ]),
    );
    expect(name.text).toContain(
      '<getNameReturn xsi:type="soapenc:string" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">Newsletter</getNameReturn>',
    );
    const contains = await h.post(
      'Recipient',
      positional('contains', [
        ['xsd:string', sid],
        ['xsd:long', '100'],
        ['xsd:string', 'x@example.com'],
      ]),
    );
    expect(contains.text).toContain('xsi:type="xsd:boolean"');
    expect(contains.value).toBe('false');
  });
});
