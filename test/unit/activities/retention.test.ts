import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createRetentionActivities } from '../../../activities/retention';
import type { ActivityDependencies } from '../../../activities/deps';
import type { CampaignSyncConfig } from '../../../src/config/config-schema';
import { createStateStore, type StateStore } from '../../../src/store';
import { WindowPriority } from '../../../src/sync/window-priority';
import { aRun, aSent } from '../../helpers/store-builders';

const NOW = new Date('2026-11-27T06:00:00.000Z');

describe('pruneStateStore activity', () => {
  let store: StateStore;
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  const prune = (windowPriority = new WindowPriority()) => {
    const deps = { config: { retention: { snapshotDays: 7, runDays: 90 } } as CampaignSyncConfig, store, windowPriority, now: () => NOW };
    return env.run(createRetentionActivities(deps as unknown as ActivityDependencies).pruneStateStore);
  };

  it('deletes snapshots and runs past the configured days and keeps the rest', async () => {
    // Snapshots are stamped with the wall clock: this one is younger than 7 days and stays
    // (deleting old ones is the store contract's `deleteOlderThan` test).
    const fresh = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'recent' }, []);
    await store.runs.upsert(aRun({ runId: 'ancient', status: 'failed', startedAt: '2026-08-01T00:00:00.000Z' }));
    await store.runs.upsert(aRun({ runId: 'recent', status: 'failed', startedAt: '2026-11-01T00:00:00.000Z' }));
    await store.ledger.record([aSent('a@x.test', 0, { runId: 'ancient' }), aSent('a@x.test', 0, { runId: 'recent' })]);

    const output = await prune();
    expect(output).toEqual({ snapshotsBefore: '2026-11-20T06:00:00.000Z', runsBefore: '2026-08-29T06:00:00.000Z', snapshots: 0, runs: 1, ledgerEntries: 1 });
    expect(await store.runs.get('ancient')).toBeUndefined();
    expect((await store.ledger.count('recent')).sent).toBe(1);
    expect((await store.snapshots.get(fresh.snapshotRef))?.snapshotRef).toBe(fresh.snapshotRef);
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
});
