import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId, listSyncWorkflowId } from '../../workflows/ids';
import { listSyncWorkflow, pauseSignal, progressQuery, resumeSignal } from '../../workflows/list-sync';
import { adminDelete, expectedIds, simulatorIds, soapCalls } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';
import { waitFor } from '../helpers/wait-for';

// The list sync's workflow id is the per-list lock. A list sync is paused between refill chunks,
// so it stays open with its list half refilled; meanwhile nothing else may touch that list.
describe('the per-list lock of listSyncWorkflow', () => {
  const shared = useSyncStack({ title: 'lock', contacts: 6000, adjust: (raw) => Object.assign(raw.clients[0], { concurrency: 1 }) });
  let env: TestWorkflowEnvironment;
  let stack: SyncStack;

  beforeAll(() => {
    env = shared.temporal.env;
    stack = shared.stack;
  });

  it('rejects a second sync of an open list and reports the list busy to a daily run', async () => {
    const worker = await stack.startWorker();
    await worker.runUntil(async () => {
      await adminDelete(stack, '/admin/requests');
      await stack.admin('/admin/faults', { latencyMs: 200 });
      const options = {
        taskQueue: stack.taskQueue,
        workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
        args: [{ client: stack.clientKey, listKey: 'newsletter', batchesPerActivity: 1 }] as const,
      };
      const first = await env.client.workflow.start(listSyncWorkflow, { ...options, args: [...options.args] });
      await waitFor(async () => (await first.query(progressQuery)).phase === 'refilling', 60_000);
      await first.signal(pauseSignal, { by: 'lock test', reason: 'hold the list open' });
      await waitFor(async () => (await first.query(progressQuery)).paused);
      await adminDelete(stack, '/admin/faults');

      await expect(env.client.workflow.start(listSyncWorkflow, { ...options, args: [...options.args] })).rejects.toThrow(
        WorkflowExecutionAlreadyStartedError,
      );
      const daily = await env.client.workflow.execute(dailySyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: dailySyncWorkflowId(stack.clientKey, new Date().toISOString()),
        args: [{ client: stack.clientKey }],
      });
      expect(daily.lists.newsletter?.state).toBe('busy');
      expect(daily.lists.offers?.state).toBe('ready');
      // The daily run cleared offers only: newsletter was cleared once, by the paused sync.
      expect(await soapCalls(stack, 'clear')).toBe(2);

      await first.signal(resumeSignal, { by: 'lock test' });
      expect(await first.result()).toMatchObject({ status: 'ready' });
    });
    expect(await simulatorIds(stack, 'newsletter')).toEqual(expectedIds(stack, 'newsletter'));
    expect(await simulatorIds(stack, 'offers')).toEqual(expectedIds(stack, 'offers'));
  });
});
