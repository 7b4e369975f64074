import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import type { ImportFeedbackOutput } from '../../../activities/feedback-types';
import { recordActivity } from '../../../src/metrics/record-activity';
import { createSyncMetrics } from '../../../src/metrics/sync-metrics';
import { DEMO_MANDATOR, LIST_IDS, startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';

// Consent latency end to end: two unsubscribes Optimizely (the simulator, over SOAP) dates 3 hours ago
// is applied by the next feedback import, and its latency is what the metric records.
describe('consent latency', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({ env, bundle, title: 'consent latency', contacts: 50 });
  });
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  it('an unsubscribe at T, applied by the next import, is recorded at its latency from T', async () => {
    const hours = 3;
    const at = Date.now() - hours * 3_600_000;
    await stack.admin(`/admin/clients/${DEMO_MANDATOR}/events`, {
      events: [
        { type: 'unsubscribe', recipientId: 'leaver@example.com', recipientListId: LIST_IDS.newsletter, time: at },
        { type: 'unsubscribe', recipientId: 'also-leaving@example.com', recipientListId: LIST_IDS.offers, time: at },
      ],
    });
    // ClosedLoop data appears once Optimizely has produced the next export batch.
    await stack.admin('/admin/clock/advance', { ms: 15 * 60_000 });
    const activities = createActivities(stack.deps);
    const input = { client: stack.clientKey, runId: 'consent-latency-run' };
    const output = (await new MockActivityEnvironment().run(activities.importFeedback, input)) as ImportFeedbackOutput;

    const minutes = Object.entries(output.consentLatencyMinutes ?? {});
    expect(minutes).toHaveLength(1);
    const [minute, count] = minutes[0] as [string, number];
    expect(count).toBe(2);
    // 180 minutes plus the time the import itself took.
    expect(Number(minute)).toBeGreaterThanOrEqual(hours * 60);
    expect(Number(minute)).toBeLessThan(hours * 60 + 5);

    const metrics = createSyncMetrics();
    recordActivity(metrics, {
      activityType: 'importFeedback',
      workflowId: `daily-sync:${stack.clientKey}:x`,
      input,
      output,
      now: new Date(),
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`campaign_sync_consent_latency_seconds_count{client="${stack.clientKey}",stage="ledger"} 2`);
    expect(text).toContain(`campaign_sync_consent_latency_seconds_bucket{le="3600",client="${stack.clientKey}",stage="ledger"} 0`);
    expect(text).toContain(`campaign_sync_consent_latency_seconds_bucket{le="14400",client="${stack.clientKey}",stage="ledger"} 2`);

    // The next import reads the same events again (overlap): they are not counted twice.
    const again = (await new MockActivityEnvironment().run(activities.importFeedback, {
      ...input,
      runId: 'consent-latency-run-2',
    })) as ImportFeedbackOutput;
    expect(again.consentLatencyMinutes).toEqual({});
  });
});
