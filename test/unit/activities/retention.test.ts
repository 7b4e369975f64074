import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createRetentionActivities } from '../../../activities/retention';
import type { ActivityDependencies } from '../../../activities/deps';
import type { CampaignSyncConfig } from '../../../src/config/config-schema';
import { createStateStore, type StateStore } from '../../../src/store';
import { WindowPriority } from '../../../src/sync/window-priority';
import { aRun, aSent } from '../../helpers/store-builders';

// Snapshots are stamped with the wall clock: a month from now every snapshot written here is old.
const NOW = new Date(Date.now() + 30 * 24 * 3600 * 1000);
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 24 * 3600 * 1000).toISOString();

describe('pruneStateStore activity', () => {
  let store: StateStore;
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });

  let dataDir: string;

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    dataDir = mkdtempSync(join(tmpdir(), 'cs-retention-'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const prune = (windowPriority = new WindowPriority()) => {
    const config = {
      dataDir,
      retention: { snapshotDays: 7, runDays: 90 },
      clients: [{ key: 'demo', lists: [{ key: 'newsletter' }, { key: 'offers' }] }],
    };
    const deps = { config: config as unknown as CampaignSyncConfig, store, windowPriority, now: () => NOW };
    return env.run(createRetentionActivities(deps as unknown as ActivityDependencies).pruneStateStore);
  };

  it('deletes snapshots and runs past the configured days, keeping open runs and their snapshots', async () => {
    const snapshotOf = async (runId: string) => {
      const { snapshotRef, count, checksum } = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId }, []);
      return { snapshotRef, count, checksum };
    };
    const done = await snapshotOf('done');
    const held = await snapshotOf('held-for-weeks');
    await store.runs.upsert(aRun({ runId: 'done', status: 'failed', startedAt: daysBefore(40), snapshot: done }));
    await store.runs.upsert(aRun({ runId: 'held-for-weeks', status: 'held', startedAt: daysBefore(120), snapshot: held }));
    await store.runs.upsert(aRun({ runId: 'ancient', status: 'failed', startedAt: daysBefore(100) }));
    await store.runs.upsert(aRun({ runId: 'recent', status: 'failed', startedAt: daysBefore(10) }));
    await store.ledger.record([aSent('a@x.test', 0, { runId: 'ancient' }), aSent('a@x.test', 0, { runId: 'recent' })]);
    await store.feedbackIntake.recordAppliedKeys('demo', ['key-of-a-month-ago'], 'recent');

    const output = await prune();
    expect(output).toEqual({
      snapshotsBefore: daysBefore(7),
      runsBefore: daysBefore(90),
      snapshots: 1,
      runs: 1,
      ledgerEntries: 1,
      feedbackEventKeys: 0,
      runFolders: 0,
    });
    expect(await store.feedbackIntake.appliedKeys('demo', ['key-of-a-month-ago'])).toEqual(new Set(['key-of-a-month-ago']));
    expect(await store.runs.get('ancient')).toBeUndefined();
    expect((await store.ledger.count('recent')).sent).toBe(1);
    expect(await store.snapshots.get(done.snapshotRef)).toBeUndefined();
    expect((await store.snapshots.get(held.snapshotRef))?.snapshotRef).toBe(held.snapshotRef);
    expect((await store.runs.get('held-for-weeks'))?.status).toBe('held');
  });

  it('waits while a refill runs in the worker', async () => {
    const priority = new WindowPriority();
    let endRefill!: () => void;
    const refill = priority.refilling(() => new Promise<void>((resolve) => (endRefill = resolve)));
    let done = false;
    const pruning = prune(priority).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    endRefill();
    await refill;
    await pruning;
    expect(done).toBe(true);
  });

  it("keeps each list's last good snapshot, however old, while it is the last good one", async () => {
    const write = async (runId: string, listKey = 'newsletter') => {
      const { snapshotRef, count, checksum } = await store.snapshots.write({ client: 'demo', listKey, runId }, [{ recipientId: runId }]);
      return { snapshotRef, count, checksum };
    };
    const older = await write('good-older');
    const lastGood = await write('good-last');
    const offers = await write('offers-good', 'offers');
    await store.runs.upsert(aRun({ client: 'demo', runId: 'good-older', status: 'completed', startedAt: daysBefore(30), snapshot: older }));
    await store.runs.upsert(
      aRun({ client: 'demo', runId: 'good-last', status: 'completed', startedAt: daysBefore(20), snapshot: lastGood }),
    );
    await store.runs.upsert(
      aRun({ client: 'demo', runId: 'offers-good', listKey: 'offers', status: 'completed', startedAt: daysBefore(25), snapshot: offers }),
    );
    await store.runs.upsert(
      aRun({
        client: 'demo',
        runId: 'restored-since',
        status: 'restored',
        startedAt: daysBefore(10),
        snapshot: await write('restored-since'),
      }),
    );

    expect(((await prune()) as { snapshots: number }).snapshots).toBe(2);
    expect(await store.snapshots.get(older.snapshotRef)).toBeUndefined();
    expect(await store.snapshots.verify(lastGood.snapshotRef, lastGood)).toMatchObject({ count: 1 });
    expect(await store.snapshots.get(offers.snapshotRef)).toBeDefined();
  });

  it('deletes run artefact folders older than the run retention and keeps newer ones', async () => {
    const folder = (run: string, daysOld: number) => {
      const path = join(dataDir, 'runs', 'demo', run);
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, 'unsubscribes.csv'), 'recipientId\n');
      const at = new Date(NOW.getTime() - daysOld * 24 * 3600 * 1000);
      utimesSync(path, at, at);
      return path;
    };
    const old = folder('daily_demo_old', 100);
    const recent = folder('daily_demo_recent', 10);
    expect(await prune()).toMatchObject({ runFolders: 1 });
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true]);
  });
});
