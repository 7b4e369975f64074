import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { DailySyncStatus } from '../../../workflows/daily-sync';
import type { StatusSnapshot } from '../../../src/operations/status-snapshot';
import { startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { waitFor } from '../../helpers/wait-for';
import { cliFor } from './cli-harness';

// `status` with the worker stopped mid-refill: it must answer within seconds, name the open daily run,
// its lists' last known phases and LIST INCOMPLETE, and exit non-zero; a worker started afterwards
// finishes the run with complete lists (nothing was lost while nobody answered).
describe('campaign-sync status with no worker answering', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let cli: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({
      env,
      bundle,
      title: 'status no worker',
      contacts: 3000,
      adjust: (raw) => (raw.clients[0].concurrency = 1),
    });
    cli = cliFor(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  it('answers within 10 s (two asks of --answer-timeout 2s) with the run, the last known phases and LIST INCOMPLETE, and exits 6', async () => {
    await stack.admin('/admin/faults', { latencyMs: 150 });
    const worker = await stack.startWorker();
    const running = worker.run();
    const started = await cli.run(['run', '--batches-per-activity', '1']);
    const workflowId = /Started (\S+);/.exec(started.out)?.[1] ?? '';
    // status gives a busy worker two asks of 10 s each; on a very loaded machine even that may miss: ask again.
    const refilling = async () => {
      const answer = await cli.run(['status', '--json']);
      if (answer.code !== 0) return false;
      return (JSON.parse(answer.out) as StatusSnapshot).lists.some((l) => l.open?.progress.phase === 'refilling');
    };
    await waitFor(refilling, 60_000);
    worker.shutdown();
    await running;

    const t0 = Date.now();
    const status = await cli.run(['status', '--answer-timeout', '2s']);
    const elapsedMs = Date.now() - t0;
    expect(elapsedMs).toBeLessThan(10_000);
    expect(status.code).toBe(6);
    expect(status.out).toContain(`Daily run ${workflowId}: NO WORKER IS ANSWERING for `);
    expect(status.out).toContain('last known phase lists');
    expect(status.out).toMatch(
      /(newsletter|offers)\s+refilling \(last known\)\s+LIST INCOMPLETE \(a clear has happened, no verified refill\)\s+no worker is answering for \d+ s/,
    );
    expect(status.out).toContain('No worker is answering');
    const json = await cli.run(['status', '--json', '--answer-timeout', '2s']);
    expect(json.code).toBe(6);
    expect((JSON.parse(json.out) as StatusSnapshot).dailyUnanswered).toMatchObject({ workflowId, lastKnownPhase: 'lists' });

    await stack.admin('/admin/faults', { latencyMs: 0 });
    const again = await stack.startWorker();
    const result: DailySyncStatus = await again.runUntil(env.client.workflow.getHandle(workflowId).result());
    expect(Object.values(result.lists).map((l) => l.state)).toEqual(['ready', 'ready']);
    expect((await cli.run(['status'])).code).toBe(0);
  });
});
