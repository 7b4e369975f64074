import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import { openOptimizelyClient } from '../../src/stack/open-optimizely-client';
import { listSyncWorkflowId } from '../../workflows/ids';
import { approveUpdate, listSyncWorkflow, progressQuery, rejectUpdate } from '../../workflows/list-sync';
import { LIST_IDS, type SyncStack } from '../helpers/sync-stack';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

type ListKey = keyof typeof LIST_IDS;

/** Fills a list as the old cron script did: straight through the SOAP API, no run of campaign-sync. */
async function fillOutside(stack: SyncStack, listKey: ListKey, n: number): Promise<void> {
  const optimizely = openOptimizelyClient(stack.config.clients[0]!, process.env);
  try {
    for (let start = 0; start < n; start += 1000) {
      const ids = Array.from({ length: Math.min(1000, n - start) }, (_, i) => `cron-${listKey}-${start + i}@old.example`);
      await optimizely.recipient.addAll3({
        listId: LIST_IDS[listKey],
        optinProcessId: 0,
        recipientIds: ids,
        addresses: ids,
        attributeNames: ['entity-type'],
        attributeValues: ids.map(() => ['contact']),
      });
    }
  } finally {
    await optimizely.close();
  }
}

// A team moves a list that already holds recipients (filled by its old cron script, outside
// campaign-sync) to campaign-sync: the first run has no last good run, so the guard measures the
// export against the live list before the clear. A tiny export is held and the list left as it was.
describe('the guard on a list’s first run (dev server, simulator, real activities)', () => {
  // A small CRM: the newsletter export is a few dozen rows at most.
  const shared = useSyncStack({ title: 'first run guard', contacts: 30 });
  let stack: SyncStack;
  const expectedCount = (listKey: ListKey) =>
    expectedRecipients(
      readDemoCrm(stack.crmFile),
      DEMO_LISTS.find((l) => l.listKey === listKey)!,
    ).length;

  beforeAll(() => {
    stack = shared.stack;
  });

  const startList = (listKey: ListKey, suffix: string) =>
    shared.temporal.env.client.workflow.start(listSyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: `${listSyncWorkflowId(stack.clientKey, listKey)}:${suffix}`,
      args: [{ client: stack.clientKey, listKey }],
    });
  const liveCount = async (listKey: ListKey) => (await stack.listRecipients(listKey)).length;

  it('holds a tiny first export against a live list filled outside, leaves it untouched, and an approval still goes through', async () => {
    const live = 2500;
    await fillOutside(stack, 'newsletter', live);
    const exported = expectedCount('newsletter');
    expect(exported).toBeGreaterThan(0);
    expect(exported).toBeLessThan(live * 0.8);
    expect(await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter')).toBeUndefined();
    const worker = await stack.startWorker();
    await worker.runUntil(async () => {
      const rejected = await startList('newsletter', 'reject');
      await waitFor(async () => (await rejected.query(progressQuery)).phase === 'held', 60_000);
      const held = await rejected.query(progressQuery);
      expect(held.guardReasons).toEqual([
        expect.stringContaining(`against the live list before the clear (no last good run) (${live} → ${exported};`),
      ]);
      expect(await liveCount('newsletter')).toBe(live);
      await rejected.executeUpdate(rejectUpdate, { args: [{ by: 'ops@example.test', reason: 'export looks broken' }] });
      expect(await rejected.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops@example.test' });
      expect(await liveCount('newsletter')).toBe(live);

      // A rejected run is no last good run: the next first run is held again, and an operator who
      // knows the list is to shrink approves it the way any held run is approved.
      const approved = await startList('newsletter', 'approve');
      await waitFor(async () => (await approved.query(progressQuery)).phase === 'held', 60_000);
      expect((await approved.query(progressQuery)).guardReasons[0]).toContain('no last good run');
      await approved.executeUpdate(approveUpdate, { args: [{ by: 'ops@example.test', reason: 'cron list retired' }] });
      expect(await approved.result()).toMatchObject({ status: 'ready', verifiedCount: exported, decidedBy: 'ops@example.test' });
    });
    expect(await liveCount('newsletter')).toBe(exported);
  });

  it('lets a normal first export through against a live list of about its size', async () => {
    const exported = expectedCount('offers');
    expect(exported).toBeGreaterThan(0);
    // The cron script left a little more than the export (within maxShrinkPercent, 20 by default).
    const live = Math.floor(exported / 0.85);
    await fillOutside(stack, 'offers', live);
    expect(await liveCount('offers')).toBe(live);
    const worker = await stack.startWorker();
    const result = await worker.runUntil(async () => {
      const handle = await startList('offers', 'normal');
      return handle.result();
    });
    expect(result).toMatchObject({ status: 'ready', verifiedCount: exported });
    expect(result.progress.guardReasons).toEqual([]);
    expect(result.decidedBy).toBeUndefined();
    expect(await liveCount('offers')).toBe(exported);
  });
});

// Strategy reconcile never clears, but its first run would remove every recipient the cron script
// left: the removal share and the shrink are both measured against the live list it read.
describe('the guard on a reconcile list’s first run (dev server, simulator, real activities)', () => {
  const shared = useSyncStack({
    title: 'first run guard reconcile',
    contacts: 30,
    adjust: (raw) => {
      Object.assign(raw.clients[0].lists[0], { strategy: 'reconcile' });
      Object.assign(raw.clients[0].lists[1], { enabled: false });
    },
  });

  it('holds the first reconcile of a list filled outside, and removes nothing', async () => {
    const { stack } = shared;
    const live = 2000;
    await fillOutside(stack, 'newsletter', live);
    const worker = await stack.startWorker();
    await worker.runUntil(async () => {
      const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
        args: [{ client: stack.clientKey, listKey: 'newsletter' }],
      });
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held', 60_000);
      const { guardReasons } = await handle.query(progressQuery);
      expect(guardReasons).toEqual([
        expect.stringContaining(`against the live list before the clear (no last good run) (${live} → `),
        expect.stringContaining(`the reconcile would remove 100.0% of the live list (${live} of ${live}`),
      ]);
      await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ops@example.test' }] });
      expect(await handle.result()).toMatchObject({ status: 'rejected' });
    });
    expect((await stack.listRecipients('newsletter')).length).toBe(live);
  });
});
