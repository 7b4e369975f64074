import { recordActivity } from '../../../src/metrics/record-activity';
import { startMetricsServer } from '../../../src/metrics/metrics-server';
import { createSyncMetrics } from '../../../src/metrics/sync-metrics';
import { createConfiguredMetrics } from '../../../src/metrics/consent-objectives';
import type { ClientConfig } from '../../../src/config/config-schema';

const now = new Date('2026-11-27T02:40:00Z');

describe('recordActivity', () => {
  it('sets the drift gauges of a list from measureDrift, both directions', async () => {
    const metrics = createSyncMetrics();
    const output = { liveCount: 1003, expectedCount: 1000, added: 3, removed: 0 };
    recordActivity(metrics, { activityType: 'measureDrift', workflowId: 'list-sync:demo:newsletter', input: { runId: 'r1' }, output, now });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_list_drift_recipients{client="demo",list="newsletter",direction="added"} 3');
    expect(text).toContain('campaign_sync_list_drift_recipients{client="demo",list="newsletter",direction="removed"} 0');
  });

  it('counts a finished list sync: sent by result code, excluded by reason, clear-to-ready seconds', async () => {
    const metrics = createSyncMetrics();
    recordActivity(metrics, {
      activityType: 'finishRun',
      workflowId: 'list-sync:demo:newsletter',
      input: {
        runId: 'r1',
        status: 'ready',
        summary: {
          resultCodes: { '0': 950, '5': 40 },
          excluded: { consent_withdrawn: 7 },
          sanitized: { first_name: 3 },
          windowSeconds: 12.5,
        },
      },
      output: undefined,
      now,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_recipients_sent_total{client="demo",list="newsletter",result_code="0"} 950');
    expect(text).toContain('campaign_sync_recipients_sent_total{client="demo",list="newsletter",result_code="5"} 40');
    expect(text).toContain('campaign_sync_recipients_excluded_total{client="demo",list="newsletter",reason="consent_withdrawn"} 7');
    expect(text).toContain('campaign_sync_attribute_values_sanitized_total{client="demo",list="newsletter",field="first_name"} 3');
    expect(text).toContain('campaign_sync_list_runs_total{client="demo",list="newsletter",status="ready"} 1');
    expect(text).toContain('campaign_sync_clear_to_ready_seconds_sum{client="demo",list="newsletter"} 12.5');
  });

  it("ignores finishRun of workflows other than list syncs and a failed run's window", async () => {
    const metrics = createSyncMetrics();
    recordActivity(metrics, {
      activityType: 'finishRun',
      workflowId: 'responses:demo:x',
      input: { status: 'completed', summary: { resultCodes: { '0': 1 } } },
      output: undefined,
      now,
    });
    recordActivity(metrics, {
      activityType: 'finishRun',
      workflowId: 'list-sync:demo:offers',
      input: { status: 'failed', summary: { windowSeconds: 3 } },
      output: undefined,
      now,
    });
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('result_code="0"');
    expect(text).toContain('campaign_sync_list_runs_total{client="demo",list="offers",status="failed"} 1');
    expect(text).not.toContain('campaign_sync_clear_to_ready_seconds_count{client="demo",list="offers"}');
  });

  it('counts recipients rejected during the refill of a ready list', async () => {
    const metrics = createSyncMetrics();
    const input = { runId: 'r1', status: 'ready', summary: { resultCodes: { '0': 99 }, rejected: 1 } };
    recordActivity(metrics, { activityType: 'finishRun', workflowId: 'list-sync:demo:newsletter', input, output: undefined, now });
    expect(await metrics.registry.metrics()).toContain('campaign_sync_recipients_rejected_total{client="demo",list="newsletter"} 1');
  });

  it('counts quarantined feedback files and rejected feedback rows by reason', async () => {
    const metrics = createSyncMetrics();
    const output = {
      watermark: '2026-11-27T02:30:00.000Z',
      rejected: { invalid_list_id: 2, invalid_timestamp: 0 },
      dropped: { processed: [], duplicates: [], quarantined: [{ name: 'bounces-x.csv', reason: 'not a regular file (FIFO); not read' }] },
    };
    recordActivity(metrics, { activityType: 'importFeedback', workflowId: 'daily-sync:demo:x', input: { client: 'demo' }, output, now });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_feedback_files_quarantined_total{client="demo"} 1');
    expect(text).toContain('campaign_sync_feedback_rows_rejected_total{client="demo",reason="invalid_list_id"} 2');
    expect(text).not.toContain('reason="invalid_timestamp"');
  });

  it('sets the feedback lag from the imported watermark', async () => {
    const metrics = createSyncMetrics();
    recordActivity(metrics, {
      activityType: 'importFeedback',
      workflowId: 'daily-sync:demo:x',
      input: { client: 'demo' },
      output: { watermark: '2026-11-27T02:30:00.000Z' },
      now,
    });
    expect(await metrics.registry.metrics()).toContain('campaign_sync_feedback_lag_seconds{client="demo"} 600');
  });

  it('flags a lagging response watermark and the span lost unread', async () => {
    const metrics = createSyncMetrics();
    const output = { since: 0, until: 1, windows: [], lagging: true, lostBeforeMs: 90_000_000 };
    recordActivity(metrics, { activityType: 'planResponseIngest', workflowId: 'responses:demo:x', input: { client: 'demo' }, output, now });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_responses_lagging{client="demo"} 1');
    expect(text).toContain('campaign_sync_responses_lost_seconds{client="demo"} 90000');
  });
});

describe('recordActivity: the alert gauges', () => {
  const list = 'list-sync:demo:newsletter';
  const finish = (metrics: ReturnType<typeof createSyncMetrics>, status: string, at = now) =>
    recordActivity(metrics, {
      activityType: 'finishRun',
      workflowId: list,
      input: { runId: 'r', status, summary: {} },
      output: undefined,
      now: at,
    });
  const guard = (metrics: ReturnType<typeof createSyncMetrics>, hold: boolean) =>
    recordActivity(metrics, {
      activityType: 'evaluateGuard',
      workflowId: list,
      input: {},
      output: { hold, reasons: [], approvalTimeoutMs: 1 },
      now,
    });
  const value = async (metrics: ReturnType<typeof createSyncMetrics>, name: string) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.list === 'newsletter')?.value;

  const t = (d: Date) => d.getTime() / 1000;
  const later = new Date(now.getTime() + 3_600_000);

  it("a guard hold stamps held-since; the run's finish stamps last-finished later, whatever its outcome", async () => {
    for (const status of ['ready', 'rejected', 'failed', 'restored', 'skipped']) {
      const metrics = createSyncMetrics();
      guard(metrics, true);
      expect(await value(metrics, 'campaign_sync_list_held_since_timestamp_seconds')).toBe(t(now));
      finish(metrics, status, later);
      expect(await value(metrics, 'campaign_sync_list_last_finished_timestamp_seconds')).toBe(t(later));
    }
  });

  it('a verdict without a hold stamps nothing', async () => {
    const metrics = createSyncMetrics();
    guard(metrics, false);
    expect(await value(metrics, 'campaign_sync_list_held_since_timestamp_seconds')).toBeUndefined();
  });

  it('failed and restored stamp last-not-ready, ready stamps last-ready, rejected and skipped neither', async () => {
    for (const bad of ['failed', 'restored']) {
      const metrics = createSyncMetrics();
      finish(metrics, bad);
      finish(metrics, 'rejected', later);
      finish(metrics, 'skipped', later);
      expect(await value(metrics, 'campaign_sync_list_last_not_ready_timestamp_seconds')).toBe(t(now));
      expect(await value(metrics, 'campaign_sync_list_last_ready_timestamp_seconds')).toBeUndefined();
      finish(metrics, 'ready', later);
      expect(await value(metrics, 'campaign_sync_list_last_ready_timestamp_seconds')).toBe(t(later));
      expect(await value(metrics, 'campaign_sync_list_last_not_ready_timestamp_seconds')).toBe(t(now));
    }
  });

  it('the quarantine counter exists at 0 after a clean import, and the watermark is exported as a time', async () => {
    const metrics = createSyncMetrics();
    recordActivity(metrics, {
      activityType: 'importFeedback',
      workflowId: 'daily-sync:demo:x',
      input: { client: 'demo' },
      output: { watermark: '2026-11-27T02:30:00.000Z', dropped: { quarantined: [] } },
      now,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_feedback_files_quarantined_total{client="demo"} 0');
    expect(text).toContain(
      `campaign_sync_feedback_watermark_timestamp_seconds{client="demo"} ${Date.parse('2026-11-27T02:30:00.000Z') / 1000}`,
    );
  });
});

describe('recordActivity: consent latency', () => {
  it('observes every opt-out of the import at its latency in minutes; ignores malformed entries', async () => {
    const metrics = createSyncMetrics();
    const output = { watermark: '2026-11-27T02:30:00.000Z', consentLatencyMinutes: { '30': 2, '1600': 1, '-5': 3, x: 1, '10': 1.5 } };
    recordActivity(metrics, { activityType: 'importFeedback', workflowId: 'daily-sync:demo:x', input: { client: 'demo' }, output, now });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_consent_latency_seconds_count{client="demo",stage="ledger"} 3');
    expect(text).toContain(`campaign_sync_consent_latency_seconds_sum{client="demo",stage="ledger"} ${2 * 1800 + 96000}`);
    expect(text).toContain('campaign_sync_consent_latency_seconds_bucket{le="93600",client="demo",stage="ledger"} 2');
  });
});

describe('recordActivity: consent latency of the list stage and readyBy', () => {
  it("observes a ready list sync's list-stage latencies from finishRun's output, under the client", async () => {
    const metrics = createSyncMetrics();
    const input = { runId: 'r1', status: 'ready', summary: {} };
    const output = { consentLatencyMinutes: { '120': 2, '2000': 1 } };
    recordActivity(metrics, { activityType: 'finishRun', workflowId: 'list-sync:demo:newsletter', input, output, now });
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_consent_latency_seconds_count{client="demo",stage="list"} 3');
    expect(text).toContain('campaign_sync_consent_latency_seconds_bucket{le="93600",client="demo",stage="list"} 2');
    expect(text).not.toContain('client="demo",stage="ledger"');
  });

  it('stamps the deadline a list missed and nothing for a list that was ready or is paused', async () => {
    const metrics = createSyncMetrics();
    const deadline = '2026-11-27T05:00:00.000Z';
    const output = {
      lists: [
        { listKey: 'newsletter', state: 'late', readyNow: false, deadline },
        { listKey: 'offers', state: 'ready', readyNow: true, deadline },
        { listKey: 'archive', state: 'paused', readyNow: false, deadline },
      ],
    };
    recordActivity(metrics, { activityType: 'checkReadyBy', workflowId: 'ready-by:demo:x', input: { client: 'demo' }, output, now });
    const values = (await metrics.registry.getSingleMetric('campaign_sync_list_ready_deadline_missed_timestamp_seconds')?.get())?.values;
    expect(values?.map((v) => [v.labels.list, v.value])).toEqual([['newsletter', Date.parse(deadline) / 1000]]);
  });
});

describe('createConfiguredMetrics', () => {
  it("exports each client's objective and makes it a bucket bound of the latency histogram", async () => {
    const metrics = createConfiguredMetrics({
      clients: [
        { key: 'a', consentLatencyObjectiveHours: 26 },
        { key: 'b', consentLatencyObjectiveHours: 40.5 },
      ] as ClientConfig[],
    });
    metrics.consentLatencySeconds.observe({ client: 'b', stage: 'list' }, 145_800);
    const text = await metrics.registry.metrics();
    expect(text).toContain('campaign_sync_consent_latency_objective_seconds{client="a"} 93600');
    expect(text).toContain('campaign_sync_consent_latency_objective_seconds{client="b"} 145800');
    expect(text).toContain('campaign_sync_consent_latency_seconds_bucket{le="145800",client="b",stage="list"} 1');
    expect(text).toContain('campaign_sync_consent_latency_seconds_bucket{le="129600",client="b",stage="list"} 0');
  });
});

describe('startMetricsServer', () => {
  it('serves the registry at /metrics and 404 elsewhere', async () => {
    const metrics = createSyncMetrics();
    metrics.listRuns.inc({ client: 'demo', list: 'newsletter', status: 'ready' });
    const server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(server.url);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(await response.text()).toContain('campaign_sync_list_runs_total{client="demo",list="newsletter",status="ready"} 1');
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
