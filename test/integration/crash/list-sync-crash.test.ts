import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { listSyncWorkflowId } from '../../../workflows/ids';
import { listSyncWorkflow, progressQuery } from '../../../workflows/list-sync';
import {
  activityAttempts,
  adminDelete,
  resetStickiness,
  expectedIds,
  ledgerSentIds,
  pendingHeartbeat,
  simulatorIds,
  soapCalls,
  writeWorkerSpec,
} from '../../helpers/crash-harness';
import { startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { waitFor } from '../../helpers/wait-for';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { prepareWorkerProcess, type PreparedWorkerProcess, type WorkerProcess } from '../../helpers/worker-process';

// The worker runs in a child process and is killed with SIGKILL: no graceful shutdown, no last
// heartbeat, no completion report. A second child must finish the run with the list exact.
// ~15,000 contacts give the newsletter list 8 batches; concurrency 1 and simulator latency make the
// refill last seconds, so the kill lands inside it. The test-only workflow interceptor
// (bundleWorkflows({ shortHeartbeats: true })) shortens heartbeat timeouts to 3 s, so the server gives a
// killed worker's activity to the new worker in seconds instead of the production 30 s.
const LIST = 'newsletter';
type ListSyncHandle = WorkflowHandleWithFirstExecutionRunId<typeof listSyncWorkflow>;
const BATCHES_PER_ACTIVITY = 2;

describe('listSyncWorkflow after its worker process is killed', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let specFile: string;
  let workers: Array<{ kill(): Promise<void> }> = [];

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows({ shortHeartbeats: true });
    stack = await startSyncStack({
      env,
      bundle,
      title: 'crash',
      contacts: 15_000,
      adjust: (raw) => Object.assign(raw.clients[0], { concurrency: 1 }),
    });
    specFile = writeWorkerSpec(stack, bundle);
  });

  beforeEach(async () => {
    await adminDelete(stack, '/admin/requests');
  });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    workers = [];
    await adminDelete(stack, '/admin/faults');
  });

  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  /** The first worker, polling, and its replacement, loaded but idle until the first is killed. */
  async function workerPair(): Promise<[WorkerProcess, PreparedWorkerProcess]> {
    const [first, next] = await Promise.all([prepareWorkerProcess(specFile), prepareWorkerProcess(specFile)]);
    workers.push(first, next);
    return [await first.start(), next];
  }

  function startListSync() {
    return env.client.workflow.start(listSyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: listSyncWorkflowId(stack.clientKey, LIST),
      args: [{ client: stack.clientKey, listKey: LIST, batchesPerActivity: BATCHES_PER_ACTIVITY }],
    });
  }

  /** The second worker finishes the run; the list and the ledger then hold every expected recipient once. */
  async function expectExactAfterRestart(handle: ListSyncHandle, next: PreparedWorkerProcess) {
    await resetStickiness(env.client, handle);
    await next.start();
    const result = await handle.result();
    const expected = expectedIds(stack, LIST);
    expect(result.status).toBe('ready');
    expect(result.verifiedCount).toBe(expected.length);
    expect(await simulatorIds(stack, LIST)).toEqual(expected);
    expect(await ledgerSentIds(stack, handle.firstExecutionRunId, LIST)).toEqual(expected);
    return result;
  }

  it('resumes the refill after the last acknowledged batch when killed during the refill', async () => {
    await stack.admin('/admin/faults', { latencyMs: 250 });
    const [first, next] = await workerPair();
    const handle = await startListSync();
    // The second chunk's attempt, not a time after the first chunk: a kill between two chunks would
    // find no activity to retry.
    await first.waitForActivity(
      (name, input) => name === 'refillList' && (input as { firstBatch: number }).firstBatch === BATCHES_PER_ACTIVITY,
      60_000,
    );
    // The simulator's request log shows the chunk's first batch answered; at 250 ms per call and
    // concurrency 1 its second is then in flight.
    await waitFor(async () => (await soapCalls(stack, 'addAll3')) >= BATCHES_PER_ACTIVITY + 1, 60_000, 20);
    expect((await handle.query(progressQuery)).phase).toBe('refilling');
    await first.kill();
    const { progress } = await expectExactAfterRestart(handle, next);
    expect(Math.max(...(await activityAttempts(handle, 'refillList')))).toBeGreaterThan(1);
    // Concurrency 1: only the batch in flight at the kill may have been sent twice.
    expect(await soapCalls(stack, 'addAll3')).toBeLessThanOrEqual(progress.batchesTotal + 1);
    expect(await soapCalls(stack, 'clear')).toBe(1);
  });

  it('exports again and clears once when killed during the export', async () => {
    const [first, next] = await workerPair();
    const handle = await startListSync();
    await first.waitForActivity((name) => name === 'exportList');
    await first.kill();
    await expectExactAfterRestart(handle, next);
    expect(Math.max(...(await activityAttempts(handle, 'exportList')))).toBeGreaterThan(1);
    expect(await soapCalls(stack, 'clear')).toBe(1);
  });

  it('refills the cleared list when killed just after the clear', async () => {
    await stack.admin('/admin/faults', { latencyMs: 250 });
    const [first, next] = await workerPair();
    const handle = await startListSync();
    await first.waitForActivity((name, input) => name === 'refillList' && (input as { firstBatch: number }).firstBatch === 0);
    await first.kill();
    await expectExactAfterRestart(handle, next);
    expect((await activityAttempts(handle, 'refillList'))[0]).toBeGreaterThan(1);
    expect(await soapCalls(stack, 'clear')).toBe(1);
  });

  it('clears again within seconds when killed during the clear call, not after its 5-minute timeout', async () => {
    // Only the clear is slow: the kill lands while its SOAP call is in flight.
    await stack.admin('/admin/faults', { latencyByOperation: { 'Recipient.clear': 4000 } });
    const [first, next] = await workerPair();
    const handle = await startListSync();
    await first.waitForActivity((name) => name === 'clearList', 60_000);
    const firstAttemptSeen = Date.now();
    // The clear heartbeats its first attempt's time just before its one SOAP call: once the server
    // holds that heartbeat, the call is on its way and takes 4 s to answer.
    await waitFor(async () => (await pendingHeartbeat(handle, 'clearList')) !== undefined, 60_000, 20);
    await first.kill();
    const killedAt = Date.now();
    const result = await expectExactAfterRestart(handle, next);
    expect(Math.max(...(await activityAttempts(handle, 'clearList')))).toBeGreaterThan(1);
    expect(await soapCalls(stack, 'clear')).toBe(2);
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    // The window counts from the first attempt (it may have emptied the list), not from the retry: it
    // spans at least the kill and the retry's own 4 s clear call.
    expect((result.windowSeconds as number) * 1000).toBeGreaterThanOrEqual(killedAt + 4000 - firstAttemptSeen);
  });
});
