import { WorkflowFailedError } from '@temporalio/client';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId, listSyncWorkflowId } from '../../workflows/ids';
import { progressQuery, type ListSyncWorkflowOutput } from '../../workflows/list-sync';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

// A daily run terminated or cancelled while a list is being refilled: the list sync is asked to cancel
// (parent close policy REQUEST_CANCEL, not the default terminate), and past its clear it finishes its
// refill and verify, so the list ends complete in Optimizely.
describe('a daily run ended during a refill', () => {
  const { temporal, stack } = withStack();

  it.each(['terminate', 'cancel'] as const)('leaves the list complete when the daily run gets a %s', async (how) => {
    const s = stack();
    const worker = await s.startWorker();
    await worker.runUntil(() => endDailyDuringRefill(how));
  });

  async function endDailyDuringRefill(how: 'terminate' | 'cancel'): Promise<void> {
    const s = stack();
    await s.admin('/admin/faults', { latencyMs: 100 });
    const daily = await temporal.env.client.workflow.start(dailySyncWorkflow, {
      taskQueue: s.taskQueue,
      workflowId: dailySyncWorkflowId(s.clientKey, `${how}-${Date.now()}`),
      args: [{ client: s.clientKey, batchesPerActivity: 1 }],
    });
    const sync = temporal.env.client.workflow.getHandle(listSyncWorkflowId(s.clientKey, 'newsletter'));
    await waitFor(async () => (await sync.query(progressQuery).catch(() => undefined))?.phase === 'refilling', 60_000);
    if (how === 'terminate') await daily.terminate('lifecycle test');
    else await daily.cancel();
    await expect(daily.result()).rejects.toThrow(WorkflowFailedError);
    await s.admin('/admin/faults', { latencyMs: 0 });

    const result = (await sync.result()) as ListSyncWorkflowOutput;
    expect(result.status).toBe('ready');
    expect(result.progress.listIncomplete).toBe(false);
    expect(result.verifiedCount).toBe(result.progress.sent);
    expect(await s.listRecipients('newsletter')).toHaveLength(result.verifiedCount as number);
    // The other list either finished or stopped before its clear; in both cases nothing is left open.
    await temporal.env.client.workflow
      .getHandle(listSyncWorkflowId(s.clientKey, 'offers'))
      .result()
      .catch(() => undefined);
  }
});

function withStack() {
  const shared = useSyncStack({ title: 'daily lifecycle', contacts: 3000, adjust: (raw) => (raw.clients[0].concurrency = 1) });
  return { temporal: shared.temporal, stack: () => shared.stack };
}
