import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientSchema } from '../../../src/config/config-schema';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { suppressionEventOf } from '../../../src/feedback/record-suppressions';
import { FEEDBACK_WATERMARK } from '../../../src/feedback/watermark-kinds';
import { CLOSED_LOOP_RETENTION_MS, formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import { createStateStore, type StateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { inMemoryCrm } from '../crm/in-memory-crm';

const NOW = Date.parse('2026-03-31T06:00:00.000Z');
const at = (hoursAgo: number) => formatClosedLoopTime(NOW - hoursAgo * 3_600_000);

describe('importFeedback and the suppression ledger', () => {
  let dir: string;
  let store: StateStore;
  let optimizely: FakeOptimizely;
  const since: number[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-suppress-'));
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    optimizely = createFakeOptimizely();
    optimizely.now = NOW;
    const getUnsubscribes = optimizely.closedLoop.getUnsubscribes;
    since.length = 0;
    optimizely.closedLoop.getUnsubscribes = async (input) => (since.push(input.since), getUnsubscribes(input));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (feedbackFolder?: string) =>
    clientSchema.parse({
      key: 'acme',
      endpoint: 'http://localhost:1',
      mandatorId: 1,
      username: 'u',
      password: { env: 'X' },
      feedbackFolder,
      lists: [{ key: 'newsletter', listId: 7, optInId: 11 }],
    });
  const run = (runId: string, feedbackFolder?: string) =>
    importFeedback({
      client: client(feedbackFolder),
      optimizely,
      store,
      crm: inMemoryCrm({}),
      runDir: join(dir, runId),
      runId,
      now: () => new Date(NOW),
    });
  const ledger = async (key: string) => (await store.suppressions.events('acme', key)).map((e) => `${e.kind}:${e.listId}:${e.source}`);

  it('records unsubscribes and out-bounces of recipients never sent, with their scope and time, once across overlapping reads', async () => {
    optimizely.closedLoopRows.getUnsubscribes.push(['Never.Sent@Example.com', '', at(5), '0'], ['list@example.com', '', at(4), '7']);
    optimizely.closedLoopRows.getMailingUnsubscribes.push(['list@example.com', '99', at(4), '7']);
    optimizely.closedLoopRows.getOutBounces.push(['bounced@example.com', '99', at(3), '7', 'softbounce']);
    await run('night-1');
    await run('night-2');
    expect(await ledger('never.sent@example.com')).toEqual(['unsubscribe:0:closed_loop']);
    expect(await ledger('list@example.com')).toEqual(['unsubscribe:7:closed_loop']);
    expect(await ledger('bounced@example.com')).toEqual(['bounce:0:closed_loop']);
    expect((await store.suppressions.events('acme', 'never.sent@example.com'))[0]?.occurredAt).toBe(
      new Date(NOW - 5 * 3_600_000).toISOString(),
    );
  });

  it('records dropped-file rows as such and leaves out a row whose list id is not an integer, never widening it', async () => {
    const folder = join(dir, 'drop');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'unsubscribes-1.csv'),
      [
        'recipientId,mailingId,timestamp,recipientListId,category',
        `dropped@example.com,1,${at(2)},7,`,
        `garbled@example.com,1,${at(2)},abc,`,
        `undated@example.com,1,not a time,7,`,
      ].join('\n'),
    );
    await run('night-1', folder);
    expect(await ledger('dropped@example.com')).toEqual(['unsubscribe:7:dropped_file']);
    expect(await ledger('garbled@example.com')).toEqual([]);
    expect(await ledger('undated@example.com')).toEqual([]);
  });

  it('reads the whole ClosedLoop retention once for a store that predates the ledger, then from its watermark', async () => {
    await store.watermarks.advance({ client: 'acme', kind: FEEDBACK_WATERMARK, at: new Date(NOW - 24 * 3_600_000).toISOString() });
    await run('night-1');
    await run('night-2');
    expect(since).toEqual([NOW - CLOSED_LOOP_RETENTION_MS, NOW - 3_600_000]);
  });
  it('never widens an unsubscribe: a list id that is not a plain integer is left out, never made client-wide', () => {
    const listIds = fc.oneof(
      fc.nat({ max: 10 ** 9 }).map(String),
      fc.string(),
      fc.constantFrom('', ' ', 'abc', '7.0', '-1', '1e3', '0x10', ' 7 ', '\u0667'),
    );
    fc.assert(
      fc.property(listIds, fc.constantFrom<'unsubscribe' | 'bounce'>('unsubscribe', 'bounce'), (recipientListId, kind) => {
        const event = suppressionEventOf(kind, { recipientId: 'a@example.com', timestamp: at(1), recipientListId }, 'acme', 'dropped_file');
        const plain = /^\d{1,15}$/.test(recipientListId.trim());
        if (!plain) expect(event).toBeUndefined();
        else expect(event?.listId).toBe(kind === 'bounce' ? 0 : Number(recipientListId.trim()));
      }),
    );
  });
});
