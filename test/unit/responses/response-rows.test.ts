import { eventKey, readResponseRow } from '../../../src/responses/response-rows';

const AT = '2026-06-01T10:00:00.000+00:00';

describe('readResponseRow', () => {
  it('reads a bounce category from getResponses as a bounce and an autoresponder as other', () => {
    expect(readResponseRow('getResponses', ['r@x.test', '1001', AT, '100', 'softbounce'])).toMatchObject({
      kind: 'bounce',
      category: 'softbounce',
    });
    expect(readResponseRow('getResponses', ['r@x.test', '1001', AT, '100', 'autoresponder']).kind).toBe('other');
  });

  it('reads a click with its link, a client-wide unsubscribe with list 0, and a nil list id as none (never list 0)', () => {
    expect(readResponseRow('getClicks', ['r@x.test', '1001', AT, '100', '7', 'https://e.test/a'])).toMatchObject({
      kind: 'click',
      linkId: '7',
      linkUrl: 'https://e.test/a',
    });
    expect(readResponseRow('getUnsubscribes', ['r@x.test', '', AT, '0'])).toMatchObject({ kind: 'unsubscribe', recipientListId: '0' });
    expect(readResponseRow('getUnsubscribes', ['r@x.test', '', AT, null])).toMatchObject({ kind: 'unsubscribe', recipientListId: '' });
  });
});

describe('eventKey', () => {
  it('is the same for an unsubscribe listed with and without its mailing', () => {
    const plain = readResponseRow('getUnsubscribes', ['r@x.test', '', AT, '100']);
    const withMailing = readResponseRow('getMailingUnsubscribes', ['r@x.test', '1001', AT, '100']);
    expect(eventKey(plain)).toBe(eventKey(withMailing));
  });

  it('is the same for the bounce that crossed the limit in getResponses and getOutBounces', () => {
    const row = ['r@x.test', '1001', AT, '100', 'hardbounce'];
    expect(eventKey(readResponseRow('getResponses', row))).toBe(eventKey(readResponseRow('getOutBounces', row)));
  });

  it('differs by time, mailing, kind and link, and holds no address', () => {
    const open = readResponseRow('getOpens', ['r@x.test', '1001', AT, '100']);
    const keys = new Set([
      eventKey(open),
      eventKey({ ...open, timestamp: '2026-06-01T10:00:01.000+00:00' }),
      eventKey({ ...open, mailingId: '1002' }),
      eventKey({ ...open, kind: 'click' }),
      eventKey({ ...open, kind: 'click', linkUrl: 'https://e.test/b' }),
    ]);
    expect(keys.size).toBe(5);
    expect(eventKey(open)).not.toContain('r@x.test');
  });
});
