import { listSyncWorkflowId } from '../../workflows/ids';
import { listSyncWorkflow, progressQuery, rejectUpdate } from '../../workflows/list-sync';
import { optInNewsletterAlone, type SyncStack } from '../helpers/sync-stack';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

// On an opt-in list the refill leaves out whoever Optimizely's unsubscribe list holds. When it holds
// most of the list (a mass unsubscribe, or an answer that is simply wrong), the guard must see that
// before the clear: the run is held with the list as it was, not emptied after the clear.
describe('the guard on an opt-in list whose unsubscribe list holds most recipients (dev server, simulator)', () => {
  const shared = useSyncStack({
    title: 'unsubscribe check guard',
    contacts: 60,
    ...optInNewsletterAlone,
  });
  let stack: SyncStack;
  beforeAll(() => {
    stack = shared.stack;
  });
  const listed = async () => (await stack.listRecipients('newsletter')).map((r) => r.recipientId).sort();

  it('holds the run before the clear and leaves the list as it was', async () => {
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready' });
    const yesterday = await listed();
    expect(yesterday.length).toBeGreaterThan(10);
    // Only Optimizely's unsubscribe list says so; the list sync runs without a feedback import.
    const optimizely = stack.deps.optimizely(stack.clientKey);
    const leaving = yesterday.slice(0, Math.ceil(yesterday.length * 0.7));
    for (const recipientId of leaving) await optimizely.unsubscribe.add({ recipientId });

    const worker = await stack.startWorker();
    await worker.runUntil(async () => {
      const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: `${listSyncWorkflowId(stack.clientKey, 'newsletter')}:unsubscribe-check`,
        args: [{ client: stack.clientKey, listKey: 'newsletter', feedbackImported: true }],
      });
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held', 60_000);
      const { guardReasons } = await handle.query(progressQuery);
      expect(guardReasons).toEqual([
        expect.stringContaining(
          `against the last good run (${yesterday.length} → ${yesterday.length - leaving.length}, after leaving out ${leaving.length} Optimizely holds as unsubscribed;`,
        ),
      ]);
      expect(await listed()).toEqual(yesterday);
      await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ops@example.test', reason: 'mass unsubscribe to check' }] });
      expect(await handle.result()).toMatchObject({ status: 'rejected' });
    });
    expect(await listed()).toEqual(yesterday);
  });
});
