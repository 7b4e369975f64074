import { type Harness, MANDATOR, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { FIELDS, positional, rowFor } from '../../helpers/raw-soap';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('simulator ClosedLoop getters', () => {
  let h: Harness;
  let sid: string;
  beforeEach(async () => {
    h = await startHarness({ batchIntervalMs: 10 * MIN });
    sid = await h.login();
  });
  afterEach(() => h.close());

  const now = async () => Number((await h.post('ClosedLoop', positional('getCurrentTime', [['xsd:string', sid]]))).value);
  const get = (getter: string, since: number, until: number, startRow = 0, rows = 1000) =>
    h.post(
      'ClosedLoop',
      positional(getter, [
        ['xsd:string', sid],
        ['xsd:long', String(since)],
        ['xsd:long', String(until)],
        ['xsd:int', String(startRow)],
        ['xsd:int', String(rows)],
      ]),
    );
  const events = (list: unknown[]) => h.admin('POST', `/admin/clients/${MANDATOR}/events`, { events: list });

  it('returns rows only once their export batch has been produced, filtered by batch time', async () => {
    const t0 = await now();
    const mailing = (
      await h.admin('POST', `/admin/clients/${MANDATOR}/mailings`, { name: 'Autumn', recipientListId: REGULAR_LIST, startTime: t0 })
    ).json as { mailingId: number };
    await events([{ type: 'open', recipientId: 'o@example.com', mailingId: mailing.mailingId, time: t0 }]);
    expect((await get('getOpens', 0, t0 + DAY)).value).toEqual([]);
    await h.admin('POST', '/admin/clock/advance', { ms: 11 * MIN });
    const rows = (await get('getOpens', 0, t0 + DAY)).value as string[][];
    expect(rows).toEqual([
      ['o@example.com', String(mailing.mailingId), expect.stringMatching(/^\d{4}-\d\d-\d\dT.*\+00:00$/), String(REGULAR_LIST)],
    ]);
    const batchTime = Math.ceil(t0 / (10 * MIN)) * 10 * MIN;
    expect((await get('getOpens', batchTime + 1, t0 + DAY)).value).toEqual([]);
    expect((await get('getOpens', batchTime, batchTime + 1)).value).toHaveLength(1);
    expect(((await get('getMailings', 0, t0 + DAY)).value as string[][])[0]?.slice(0, 2)).toEqual([String(mailing.mailingId), 'Autumn']);
  });

  it('pages at most 1000 rows per call', async () => {
    const t0 = await now();
    await events(
      Array.from({ length: 1005 }, (_, i) => ({
        type: 'click',
        recipientId: `c${i}@example.com`,
        mailingId: 5,
        recipientListId: REGULAR_LIST,
        time: t0,
      })),
    );
    await h.admin('POST', '/admin/clock/advance', { ms: 11 * MIN });
    expect((await get('getClicks', 0, t0 + DAY, 0, 5000)).value).toHaveLength(1000);
    const rest = (await get('getClicks', 0, t0 + DAY, 1000, 1000)).value as string[][];
    expect(rest.map((r) => r[0])).toEqual([
      'c1000@example.com',
      'c1001@example.com',
      'c1002@example.com',
      'c1003@example.com',
      'c1004@example.com',
    ]);
  });

  it('drops data older than 30 days', async () => {
    const t0 = await now();
    await events([{ type: 'open', recipientId: 'old@example.com', mailingId: 5, recipientListId: REGULAR_LIST, time: t0 }]);
    await h.admin('POST', '/admin/clock/advance', { ms: 31 * DAY });
    sid = await h.login();
    const reply = await get('getOpens', 0, t0 + 40 * DAY);
    expect(reply.fault).toBeNull();
    expect(reply.value).toEqual([]);
  });

  it('reports a bounce that crosses the threshold in getOutBounces, containsValid and later adds', async () => {
    const ids = ['hb@example.com'];
    await h.post(
      'Recipient',
      positional('addAll3', [
        ['xsd:string', sid],
        ['xsd:long', String(REGULAR_LIST)],
        ['xsd:long', '0'],
        ['array', ids],
        ['array', ids],
        ['array', FIELDS],
        ['array2', ids.map(rowFor)],
      ]),
    );
    const t0 = await now();
    await events(
      [1, 2, 3].map(() => ({ type: 'hardbounce', recipientId: 'hb@example.com', mailingId: 7, recipientListId: REGULAR_LIST, time: t0 })),
    );
    await h.admin('POST', '/admin/clock/advance', { ms: 11 * MIN });
    expect(((await get('getResponses', 0, t0 + DAY)).value as string[][]).map((r) => r[4])).toEqual([
      'hardbounce',
      'hardbounce',
      'hardbounce',
    ]);
    expect(((await get('getOutBounces', 0, t0 + DAY)).value as string[][]).map((r) => r[0])).toEqual(['hb@example.com']);
    const valid = await h.post(
      'Recipient',
      positional('containsValid', [
        ['xsd:string', sid],
        ['xsd:long', String(REGULAR_LIST)],
        ['xsd:string', 'hb@example.com'],
      ]),
    );
    expect(valid.value).toBe('false');
  });

  it('makes an injected unsubscribe visible to Unsubscribe.contains and both unsubscribe getters', async () => {
    const t0 = await now();
    await events([{ type: 'unsubscribe', recipientId: 'u@example.com', mailingId: 9, recipientListId: REGULAR_LIST, time: t0 }]);
    await h.admin('POST', '/admin/clock/advance', { ms: 11 * MIN });
    expect(
      (
        await h.post(
          'Unsubscribe',
          positional('contains', [
            ['xsd:string', sid],
            ['xsd:string', 'u@example.com'],
          ]),
        )
      ).value,
    ).toBe('true');
    expect(((await get('getUnsubscribes', 0, t0 + DAY)).value as string[][])[0]?.slice(0, 2)).toEqual(['u@example.com', '']);
    expect(((await get('getMailingUnsubscribes', 0, t0 + DAY)).value as string[][])[0]?.slice(0, 2)).toEqual(['u@example.com', '9']);
  });
});
