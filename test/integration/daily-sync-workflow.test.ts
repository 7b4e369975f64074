import { dailySyncWorkflow, pauseListSignal, rerunListSignal, statusQuery } from '../../workflows/daily-sync';
import { waitFor } from '../helpers/wait-for';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';

const lists = ['newsletter', 'offers', 'events'].map((listKey) => ({ listKey, paused: false }));

describe('dailySyncWorkflow', () => {
  const temporal = useWorkflowTestEnv();
  const withWorker = temporal.withFakeWorker;

  const start = (taskQueue: string) =>
    temporal.env.client.workflow.start(dailySyncWorkflow, {
      taskQueue,
      workflowId: `daily-sync:${taskQueue}`,
      args: [{ client: taskQueue }],
    });

  it('imports feedback before exporting any list and syncs every list', async () => {
    await withWorker('daily order', { lists }, async (taskQueue, fake) => {
      const status = await (await start(taskQueue)).result();
      expect(fake.calls[0]).toBe('importFeedback');
      expect(fake.calls.filter((c) => c.startsWith('export:')).sort()).toEqual(['export:events', 'export:newsletter', 'export:offers']);
      expect(Object.values(status.lists).map((l) => l.state)).toEqual(['ready', 'ready', 'ready']);
      expect(status.lists.newsletter?.workflowId).toBe(`list-sync:${taskQueue}:newsletter`);
    });
  });

  it('prunes the state store last, and reports a failed prune without failing the lists', async () => {
    await withWorker('retention', { lists }, async (taskQueue, fake) => {
      const status = await (await start(taskQueue)).result();
      expect(fake.calls.at(-1)).toBe('pruneStateStore');
      expect(status.pruned).toMatchObject({ snapshots: 0, runs: 0, ledgerEntries: 0 });
    });
    await withWorker('retention fails', { lists, pruneFails: 'disk full' }, async (taskQueue) => {
      const status = await (await start(taskQueue)).result();
      expect(status.pruned).toEqual({ failed: expect.stringContaining('Activity task failed') });
      expect(Object.values(status.lists).map((l) => l.state)).toEqual(['ready', 'ready', 'ready']);
    });
  });

  it('never runs more list syncs at once than the client allows', async () => {
    await withWorker('bounded parallelism', { lists, listParallelism: 1, refillDelayMs: 200 }, async (taskQueue, fake) => {
      await (await start(taskQueue)).result();
      expect(fake.maxActiveRefills()).toBe(1);
    });
  });

  it('records a list paused in the state store as paused and skips it', async () => {
    const planned = [
      { listKey: 'newsletter', paused: true, pausedBy: 'ops', pauseReason: 'report fix' },
      { listKey: 'offers', paused: false },
    ];
    await withWorker('persistent pause', { lists: planned }, async (taskQueue, fake) => {
      const status = await (await start(taskQueue)).result();
      expect(status.lists.newsletter).toMatchObject({ state: 'paused', note: 'paused by ops: report fix' });
      expect(fake.calls).not.toContain('export:newsletter');
      expect(status.lists.offers?.state).toBe('ready');
    });
  });

  it('pauses a pending list and re-runs a finished one on request', async () => {
    await withWorker('pause and rerun', { lists, listParallelism: 1, refillDelayMs: 300 }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(statusQuery)).lists.newsletter?.state === 'running');
      await handle.signal(pauseListSignal, { listKey: 'events', by: 'ops', reason: 'wrong report' });
      await waitFor(async () => (await handle.query(statusQuery)).lists.newsletter?.state === 'ready');
      await handle.signal(rerunListSignal, { listKey: 'newsletter', by: 'ops', reason: 'after fix' });
      const status = await handle.result();
      expect(status.lists.events?.state).toBe('paused');
      expect(fake.calls.filter((c) => c === 'export:newsletter')).toHaveLength(2);
      expect(fake.operatorActions.map((a) => a.action)).toEqual(['pauseList', 'rerunList']);
    });
  });

  it('ignores list signals whose message an Update would refuse, and keeps running', async () => {
    await withWorker('hostile signals', { lists, listParallelism: 1, refillDelayMs: 300 }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(statusQuery)).lists.newsletter?.state === 'running');
      // Before the check, null stopped the run at a TypeError on every workflow task, and the others paused 'events'.
      const hostile = [null, 'events', { listKey: 'events' }, { listKey: ['events'], by: 'ops' }, { listKey: 'events', by: 'ops\u0007' }];
      for (const message of hostile) await handle.signal(pauseListSignal, message as unknown as { listKey: string; by: string });
      const status = await handle.result();
      expect(Object.values(status.lists).map((l) => l.state)).toEqual(['ready', 'ready', 'ready']);
      expect(fake.operatorActions).toEqual([]);
    });
  });
});
