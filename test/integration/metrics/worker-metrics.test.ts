import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../activities';
import { metricsInterceptor } from '../../../src/metrics/metrics-interceptor';
import { startMetricsServer } from '../../../src/metrics/metrics-server';
import { createSyncMetrics } from '../../../src/metrics/sync-metrics';
import { createWorker } from '../../../src/worker';
import { dailySyncWorkflow } from '../../../workflows/daily-sync';
import type { SyncStack } from '../../helpers/sync-stack';
import { useSyncStack } from '../../helpers/workflow-test-env';

describe('worker metrics', () => {
  const shared = useSyncStack({ title: 'worker metrics', contacts: 200 });
  let env: TestWorkflowEnvironment;
  let stack: SyncStack;

  beforeAll(() => {
    env = shared.temporal.env;
    stack = shared.stack;
  });

  it('exposes sent, excluded, clear-to-ready and feedback lag of a real daily run at /metrics', async () => {
    const metrics = createSyncMetrics();
    const server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1' });
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: stack.taskQueue,
      activities: createActivities(stack.deps),
      workflowBundle: shared.temporal.bundle,
      activityInterceptors: [metricsInterceptor(metrics)],
    });
    try {
      const workflowId = `daily-sync:${stack.clientKey}:metrics`;
      await worker.runUntil(
        env.client.workflow.execute(dailySyncWorkflow, { taskQueue: stack.taskQueue, workflowId, args: [{ client: stack.clientKey }] }),
      );
      const text = await (await fetch(server.url)).text();
      const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', limit: 1 });
      const counts = await stack.deps.store.ledger.count(run?.runId ?? '');
      const labels = `client="${stack.clientKey}",list="newsletter"`;
      expect(text).toContain(`campaign_sync_recipients_sent_total{${labels},result_code="0"} ${counts.byResultCode['0']}`);
      const [reason, excluded] = Object.entries(counts.byReason)[0] ?? [];
      expect(text).toContain(`campaign_sync_recipients_excluded_total{${labels},reason="${reason}"} ${excluded}`);
      expect(text).toContain(`campaign_sync_clear_to_ready_seconds_count{${labels}} 1`);
      expect(text).toMatch(new RegExp(`campaign_sync_feedback_lag_seconds\\{client="${stack.clientKey}"\\} \\d`));
      expect(text).not.toMatch(/@/);
    } finally {
      await server.close();
    }
  });
});
