import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { clientSchema } from '../../../src/config/config-schema';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import { createStateStore, type StateStore } from '../../../src/store';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { inMemoryCrm } from '../crm/in-memory-crm';

// The run's bounces.csv and unsubscribes.csv are audit artefacts people open: recipient ids from
// Optimizely that start a formula are escaped there. The escape must not change what is applied:
// our own files are read back exactly, and a dropped file's `'=…` is the value itself.

const NOW = Date.parse('2026-03-31T06:00:00.000Z');
const at = (hoursAgo: number) => formatClosedLoopTime(NOW - hoursAgo * 3_600_000);
const HOSTILE = ["=cmd|'/c calc'!a0@evil.example", '+1+2@evil.example', "'=quoted@evil.example", '@sum@evil.example'];

describe('feedback artefacts with formula cells', () => {
  let dir: string;
  let store: StateStore;
  let optimizely: FakeOptimizely;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-feedback-formula-'));
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    optimizely = createFakeOptimizely();
    optimizely.now = NOW;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (feedbackFolder?: string) =>
    importFeedback({
      client: clientSchema.parse({
        key: 'acme',
        endpoint: 'http://localhost:1',
        mandatorId: 1,
        username: 'u',
        password: { env: 'X' },
        feedbackFolder,
        lists: [{ key: 'newsletter', listId: 7, optInId: 11 }],
      }),
      optimizely,
      store,
      crm: inMemoryCrm({}),
      runDir: join(dir, 'night-1'),
      runId: 'night-1',
      now: () => new Date(NOW),
    });
  const recorded = async (id: string) => (await store.suppressions.events('acme', id)).map((e) => `${e.kind}:${e.source}`);

  it('escapes formula cells in the artefact and applies the exact recipient ids', async () => {
    optimizely.closedLoopRows.getUnsubscribes.push(...HOSTILE.map((id) => [id, '', at(3), '7']));
    await run();
    const cells = (parse(readFileSync(join(dir, 'night-1', 'unsubscribes.csv'), 'utf8')) as string[][]).slice(1).map((row) => row[0]);
    expect(cells).toEqual(HOSTILE.map((id) => `'${id}`));
    for (const id of HOSTILE) expect([id, await recorded(id)]).toEqual([id, ['unsubscribe:closed_loop']]);
  });

  it('reads a dropped file as it is: an apostrophe there belongs to the value', async () => {
    const folder = join(dir, 'drop');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'unsubscribes-1.csv'),
      ['recipientId,mailingId,timestamp,recipientListId,category', `"'=quoted@evil.example",1,${at(2)},7,`].join('\n'),
    );
    await run(folder);
    expect(await recorded("'=quoted@evil.example")).toEqual(['unsubscribe:dropped_file']);
    expect(await recorded('=quoted@evil.example')).toEqual([]);
  });
});
