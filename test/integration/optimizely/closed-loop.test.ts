import { CLOSED_LOOP_COLUMNS } from '../../../src/optimizely/api/closed-loop-columns';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { CREDENTIALS, type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED } from './client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());

const column = (getter: keyof typeof CLOSED_LOOP_COLUMNS, name: string) => (CLOSED_LOOP_COLUMNS[getter] as readonly string[]).indexOf(name);

describe('Optimizely client: ClosedLoop', () => {
  it('pages mailings, opens, clicks, responses, unsubscribes and out-bounces in a server-time window', async () => {
    const client = harness.client();
    const since = await client.closedLoop.getCurrentTime();
    const m = CREDENTIALS.mandatorId;
    const { mailingId } = await harness.adminJson<{ mailingId: number }>('POST', `clients/${m}/mailings`, {
      recipientListId: LIST,
      name: 'November',
    });
    const events = [
      { type: 'open', recipientId: 'a@example.com', mailingId },
      { type: 'open', recipientId: 'b@example.com', mailingId },
      { type: 'click', recipientId: 'a@example.com', mailingId, linkId: 3, linkUrl: 'https://example.com/x' },
      { type: 'softbounce', recipientId: 'c@example.com', mailingId },
      { type: 'unsubscribe', recipientId: 'd@example.com', mailingId },
      // The third hard bounce crosses the default threshold of 3.
      ...[1, 2, 3].map(() => ({ type: 'hardbounce', recipientId: 'e@example.com', mailingId })),
    ];
    await harness.adminJson('POST', `clients/${m}/events`, { events });
    await client.unsubscribe.add({ recipientId: 'f@example.com' });
    // Data show up once the export batch that holds them has been produced (every 10 minutes).
    await harness.adminJson('POST', 'clock/advance', { ms: 11 * 60_000 });
    const until = await client.closedLoop.getCurrentTime();
    expect(until).toBeGreaterThan(since);
    const window = { since, until, startRow: 0, numberOfRows: 1000 };

    const mailings = await client.closedLoop.getMailings(window);
    expect(mailings.map((row) => row[column('getMailings', 'mailingId')])).toEqual([String(mailingId)]);
    const opens = await client.closedLoop.getOpens(window);
    expect(opens.map((row) => row[column('getOpens', 'recipientId')]).sort()).toEqual(['a@example.com', 'b@example.com']);
    expect(await client.closedLoop.getOpens({ ...window, startRow: 1, numberOfRows: 1 })).toHaveLength(1);
    const clicks = await client.closedLoop.getClicks(window);
    expect(clicks[0]?.[column('getClicks', 'linkUrl')]).toBe('https://example.com/x');
    const responses = await client.closedLoop.getResponses(window);
    expect(responses.map((row) => row[column('getResponses', 'category')]).sort()).toEqual([
      'hardbounce',
      'hardbounce',
      'hardbounce',
      'softbounce',
    ]);
    expect((await client.closedLoop.getMailingUnsubscribes(window)).map((row) => row[0])).toEqual(['d@example.com']);
    // getUnsubscribes lists every unsubscribe, with or without a mailing.
    const unsubscribes = await client.closedLoop.getUnsubscribes(window);
    expect(unsubscribes.map((row) => row[column('getUnsubscribes', 'recipientId')]).sort()).toEqual(['d@example.com', 'f@example.com']);
    expect((await client.closedLoop.getOutBounces(window)).map((row) => row[0])).toEqual(['e@example.com']);
  });

  it('returns no rows outside the window and refuses pages over 1000 rows before calling', async () => {
    const client = harness.client();
    const now = await client.closedLoop.getCurrentTime();
    expect(await client.closedLoop.getOpens({ since: now + 1, until: now + 2, startRow: 0, numberOfRows: 10 })).toEqual([]);
    await expect(client.closedLoop.getOpens({ since: 0, until: now, startRow: 0, numberOfRows: 1001 })).rejects.toBeInstanceOf(
      OptimizelyArgumentError,
    );
  });
});
