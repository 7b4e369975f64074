import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import Database from 'better-sqlite3';
import { readDemoCrm } from '../../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../../src/demo/demo-lists';
import { expectedRecipients } from '../../../src/demo/expected-recipients';
import { openOptimizelyClient } from '../../../src/stack/open-optimizely-client';
import { listSyncWorkflowId } from '../../../workflows/ids';
import { listSyncWorkflow } from '../../../workflows/list-sync';
import {
  activityAttempts,
  adminDelete,
  expectedIds,
  resetStickiness,
  simulatorIds,
  soapCalls,
  writeWorkerSpec,
} from '../../helpers/crash-harness';
import { LIST_IDS, startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { prepareWorkerProcess, type PreparedWorkerProcess, type WorkerProcess } from '../../helpers/worker-process';

// Strategy reconcile with its worker process killed (SIGKILL) in the middle of the removals and of the
// additions: a second worker resumes from the last checkpoint and the list ends exactly the CRM's
// selection. Removals re-sent after the kill answer "not on the list" and still count as leavers;
// additions re-sent answer 5 (already in the list). Each case churns the list itself: a share of the
// recipients' consents withdrawn in the CRM (leavers) and another share taken off at Optimizely by
// hand (joiners), three batches each, with simulator latency so the kill lands inside a chunk.
const LIST = 'newsletter';
const CHURN = 2500;
/** The latency of the call the kill lands in; the activities heartbeat every second during a call. */
const SLOW_CALL_MS = 2000;
const newsletter = DEMO_LISTS.find((l) => l.listKey === LIST)!;

describe('strategy reconcile after its worker process is killed', () => {
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
      title: 'reconcile crash',
      contacts: 16_000,
      adjust: (raw) => {
        Object.assign(raw.clients[0], { concurrency: 1 });
        // The cases churn the same list one after the other: the second removes 2,500 of a list an
        // earlier case already shrank (about 70% of it, 62% of the list's rows excluded by then).
        // Within the default guard the run would be held for an operator and never reach its additions.
        const guard = { maxRemovePercent: 80, maxShrinkPercent: 80, maxExcludedPercent: 80 };
        Object.assign(raw.clients[0].lists[0], { strategy: 'reconcile', guard });
        Object.assign(raw.clients[0].lists[1], { enabled: false });
      },
    });
    specFile = writeWorkerSpec(stack, bundle);
    await stack.runDaily();
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

  /** Withdraws the consent of CHURN recipients in the CRM and takes CHURN others off the list at Optimizely. */
  async function churn(): Promise<void> {
    // From the current selection: what an earlier case withdrew is no longer in it.
    const recipients = expectedRecipients(readDemoCrm(stack.crmFile), newsletter);
    const leaving = recipients.slice(0, CHURN);
    const rejoining = recipients.slice(CHURN, 2 * CHURN).map((r) => r.recipientId);
    expect(rejoining).toHaveLength(CHURN);
    const crm = new Database(stack.crmFile);
    const withdraw = crm.prepare(
      "UPDATE consents SET status = 'withdrawn', changed_at = '2026-11-29T12:00:00Z' WHERE entity_type = ? AND entity_id = ? AND opt_in_id = 11",
    );
    crm.transaction(() => leaving.forEach((r) => withdraw.run(r.entityType, r.entityId)))();
    crm.close();
    const optimizely = openOptimizelyClient(stack.config.clients[0]!, process.env);
    try {
      for (let i = 0; i < rejoining.length; i += 1000)
        await optimizely.recipient.removeAll({ listId: LIST_IDS.newsletter, recipientIds: rejoining.slice(i, i + 1000) });
    } finally {
      await optimizely.close();
    }
    await adminDelete(stack, '/admin/requests');
  }

  async function workerPair(): Promise<[WorkerProcess, PreparedWorkerProcess]> {
    const [first, next] = await Promise.all([prepareWorkerProcess(specFile), prepareWorkerProcess(specFile)]);
    workers.push(first, next);
    return [await first.start(), next];
  }

  /**
   * Kills the first worker while chunk 1 of `activity` (one batch, one `operation` call) runs. That
   * call is slowed to SLOW_CALL_MS (every other call takes 250 ms), so the chunk's start leaves
   * seconds to kill in, with the call in flight. Waiting for the call's answer instead left only the
   * moments before the chunk completed: a kill after it finds no attempt to retry.
   */
  async function killDuring(activity: string, operation: string): Promise<void> {
    await stack.admin('/admin/faults', { latencyMs: 250, latencyByOperation: { [`Recipient.${operation}`]: SLOW_CALL_MS } });
    const [first, next] = await workerPair();
    const handle = await env.client.workflow.start(listSyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: listSyncWorkflowId(stack.clientKey, LIST),
      args: [{ client: stack.clientKey, listKey: LIST, batchesPerActivity: 1 }],
    });
    await first.waitForActivity((name, input) => name === activity && (input as { firstBatch: number }).firstBatch === 1, 90_000);
    await first.kill();
    await resetStickiness(env.client, handle);
    await next.start();
    const result = await handle.result();
    const expected = expectedIds(stack, LIST);
    expect(result).toMatchObject({ status: 'ready', windowSeconds: 0, verifiedCount: expected.length });
    expect(await simulatorIds(stack, LIST)).toEqual(expected);
    expect(Math.max(...(await activityAttempts(handle, activity)))).toBeGreaterThan(1);
    expect(await soapCalls(stack, 'clear')).toBe(0);
    // Every leaver is ledgered once, whether Optimizely answered removed or (re-sent after the kill) not on the list.
    const counts = await stack.deps.store.ledger.count(handle.firstExecutionRunId, LIST);
    const removed = Object.values(counts.removed ?? {}).reduce((a, b) => a + b, 0);
    expect(removed).toBe(result.progress.reconcile?.remove);
    expect(result.progress.reconcile!.removed + result.progress.reconcile!.notOnList).toBe(result.progress.reconcile?.remove);
    expect(counts.sent).toBe(result.progress.reconcile?.add);
  }

  it('completes with the exact set when killed during the removals', async () => {
    await churn();
    await killDuring('removeLeavers', 'removeAll');
  });

  it('completes with the exact set when killed during the additions', async () => {
    await churn();
    await killDuring('refillList', 'addAll3');
  });
});
