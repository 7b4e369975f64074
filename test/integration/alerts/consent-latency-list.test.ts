import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import type { ConsentLatencyReport } from '../../../src/cli/consent-latency-report';
import { createConfiguredMetrics } from '../../../src/metrics/consent-objectives';
import { metricsInterceptor } from '../../../src/metrics/metrics-interceptor';
import { createWorker } from '../../../src/worker';
import { dailySyncWorkflow } from '../../../workflows/daily-sync';
import { dailySyncWorkflowId } from '../../../workflows/ids';
import { DEMO_MANDATOR, LIST_IDS, startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { cliFor } from '../cli/cli-harness';

// Consent latency, both stages, end to end: a recipient of yesterday's newsletter unsubscribes at
// Optimizely (the simulator dates it 30 minutes ago); the next daily run imports it (stage ledger) and its
// verified refill leaves the recipient out (stage list; of every list it was on). Both are observed by the worker's metrics and
// shown by `report` for the daily run.
describe('consent latency, stages ledger and list', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({ env, bundle, title: 'consent latency list', contacts: 60 });
  });
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  const runDaily = async (metrics: ReturnType<typeof createConfiguredMetrics>) => {
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: stack.taskQueue,
      activities: createActivities(stack.deps),
      workflowBundle: bundle,
      activityInterceptors: [metricsInterceptor(metrics)],
    });
    const workflowId = dailySyncWorkflowId(stack.clientKey, new Date().toISOString());
    const handle = await env.client.workflow.start(dailySyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ client: stack.clientKey }],
    });
    const status = await worker.runUntil(handle.result());
    return { status, runId: (await handle.describe()).runId };
  };

  it('an unsubscribe at T is recorded in the ledger stage at the import and in the list stage at the refill without the recipient', async () => {
    const metrics = createConfiguredMetrics(stack.config);
    const first = await runDaily(metrics);
    expect(Object.values(first.status.lists).map((l) => l.state)).toEqual(['ready', 'ready']);
    const [leaver] = await stack.listRecipients('newsletter');
    // Optimizely's unsubscribe list is the client's (shared by its lists): the refill's check on every
    // list (unsubscribe-check.ts) leaves the leaver out of offers too, recorded client-wide, so stage list
    // counts one removal per list the leaver was on.
    const onOffers = (await stack.listRecipients('offers')).some((r) => r.recipientId === leaver!.recipientId);
    const removals = onOffers ? 2 : 1;
    // Within the import's hour of overlap behind the first night's watermark, so the next import reads it.
    const minutesAgo = 30;
    const t = Date.now() - minutesAgo * 60_000;
    await stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, {
      events: [{ type: 'unsubscribe', recipientId: leaver!.recipientId, recipientListId: LIST_IDS.newsletter, time: t }],
    });
    await stack.admin('/admin/clock/advance', { ms: 15 * 60_000 });

    const second = await runDaily(metrics);
    const afterRefill = Date.now();
    expect(Object.values(second.status.lists).map((l) => l.state)).toEqual(['ready', 'ready']);
    expect((await stack.listRecipients('newsletter')).map((r) => r.recipientId)).not.toContain(leaver!.recipientId);

    const text = await metrics.registry.metrics();
    const client = stack.clientKey;
    for (const [stage, count] of [
      ['ledger', 1],
      ['list', removals],
    ] as const)
      expect([stage, text]).toEqual([
        stage,
        expect.stringContaining(`campaign_sync_consent_latency_seconds_count{client="${client}",stage="${stage}"} ${count}`),
      ]);
    // 30 minutes and the time to the verified refill: within the first bucket (1 h).
    expect(text).toContain(`campaign_sync_consent_latency_seconds_bucket{le="3600",client="${client}",stage="list"} ${removals}`);
    expect(text).toContain(`campaign_sync_consent_latency_seconds_bucket{le="3600",client="${client}",stage="ledger"} 1`);
    expect(text).toContain(`campaign_sync_consent_latency_objective_seconds{client="${client}"} 93600`);

    const report = await cliFor(stack).json<{ consentLatency: ConsentLatencyReport }>(['report', second.runId]);
    expect(report.consentLatency.objectiveHours).toBe(26);
    const maxMinutes = Math.ceil((afterRefill - t) / 60_000);
    for (const stage of ['ledger', 'list'] as const) {
      const summary = report.consentLatency.stages[stage];
      expect(summary).toMatchObject({ count: stage === 'list' ? removals : 1, overObjective: 0 });
      expect(summary?.maxMinutes).toBeGreaterThanOrEqual(minutesAgo);
      expect(summary?.maxMinutes).toBeLessThanOrEqual(maxMinutes);
    }
    // The first night had no opt-out of a recipient it had sent: measured, nothing to count.
    const firstReport = await cliFor(stack).json<{ consentLatency: ConsentLatencyReport }>(['report', first.runId]);
    expect(firstReport.consentLatency.stages.list?.count).toBe(0);
  });
});
