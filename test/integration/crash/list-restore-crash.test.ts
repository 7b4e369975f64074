import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { listSyncWorkflowId } from '../../../workflows/ids';
import { listSyncWorkflow, progressQuery } from '../../../workflows/list-sync';
import { activityAttempts, adminDelete, ledgerSentIds, resetStickiness, simulatorIds, writeWorkerSpec } from '../../helpers/crash-harness';
import { startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { prepareWorkerProcess, type WorkerProcess } from '../../helpers/worker-process';

// A list sync fails permanently after its clear and restores the last good list; the worker is
// SIGKILLed while the restore refills. A second worker must finish the restore: the list holds the
// last good recipients minus the suppressed, each once, and the run ends restored.
// ~9,000 contacts give the newsletter list 5 batches; concurrency 1 and 250 ms per SOAP call make the
// restore's refill last seconds, so the kill lands inside it.
const LIST = 'newsletter';

describe('a list restore after its worker process is killed', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let specFile: string;
  const workers: Array<{ kill(): Promise<void> }> = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows({ shortHeartbeats: true });
    stack = await startSyncStack({
      env,
      bundle,
      title: 'restore crash',
      contacts: 9000,
      adjust: (raw) => Object.assign(raw.clients[0], { concurrency: 1 }),
    });
    specFile = writeWorkerSpec(stack, bundle);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await adminDelete(stack, '/admin/faults');
    await stack?.stop();
    await env?.teardown();
  });

  const run = () =>
    env.client.workflow.start(listSyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: listSyncWorkflowId(stack.clientKey, LIST),
      args: [{ client: stack.clientKey, listKey: LIST, batchesPerActivity: 2 }],
    });

  it('finishes the restore with the last good list exact, each recipient once', async () => {
    const [first, next] = await Promise.all([prepareWorkerProcess(specFile), prepareWorkerProcess(specFile)]);
    workers.push(first, next);
    const worker: WorkerProcess = await first.start();
    expect((await (await run()).result()).status).toBe('ready');
    const lastGood = await simulatorIds(stack, LIST);

    await stack.admin('/admin/faults', { refuseNextCallsOf: { 'Recipient.addAll3': 1 }, latencyMs: 250 });
    const handle = await run();
    await worker.waitForActivity(
      (name, input) =>
        name === 'refillList' &&
        String((input as { runId: string }).runId).endsWith(':restore') &&
        (input as { firstBatch: number }).firstBatch === 2,
      120_000,
    );
    await new Promise((r) => setTimeout(r, 400));
    expect((await handle.query(progressQuery)).phase).toBe('restoring');
    await worker.kill();
    await resetStickiness(env.client, handle);
    await next.start();

    await expect(handle.result()).rejects.toMatchObject({ cause: { type: 'ListRestoredError' } });
    const restoreRunId = `${handle.firstExecutionRunId}:restore`;
    const leftOut = new Set<string>();
    for await (const entry of stack.deps.store.ledger.stream(restoreRunId))
      if (entry.outcome === 'excluded') leftOut.add(entry.recipientId);
    const restored = lastGood.filter((id) => !leftOut.has(id));
    expect(await simulatorIds(stack, LIST)).toEqual(restored);
    expect(await ledgerSentIds(stack, restoreRunId, LIST)).toEqual(restored);
    expect(Math.max(...(await activityAttempts(handle, 'refillList')))).toBeGreaterThan(1);
    expect((await stack.deps.store.runs.get(handle.firstExecutionRunId))?.status).toBe('restored');
  }, 240_000);
});
