import type { SyncMetrics } from './sync-metrics';

/** What the worker knows about one completed activity: enough to update the metrics. */
export interface CompletedActivity {
  activityType: string;
  workflowId: string;
  input: unknown;
  output: unknown;
  now: Date;
}

type Counts = Record<string, number>;

/**
 * Updates the metrics from activity results the workflows already produce, so activities stay
 * free of metrics code: a list sync's `finishRun` carries its counts, `importFeedback` its watermark.
 */
export function recordActivity(metrics: SyncMetrics, activity: CompletedActivity): void {
  if (activity.activityType === 'finishRun') recordFinishedList(metrics, activity);
  if (activity.activityType === 'importFeedback') recordFeedback(metrics, activity);
  if (activity.activityType === 'planResponseIngest') recordResponseLag(metrics, activity);
}

function recordFinishedList(metrics: SyncMetrics, activity: CompletedActivity): void {
  // `list-sync:<client>:<list>` (workflows/ids.ts); keys cannot contain a colon.
  const [prefix, client, list] = activity.workflowId.split(':');
  if (prefix !== 'list-sync' || !client || !list) return;
  const input = activity.input as { status?: string; summary?: { resultCodes?: Counts; excluded?: Counts; rejected?: number; windowSeconds?: number } };
  const summary = input.summary ?? {};
  metrics.listRuns.inc({ client, list, status: input.status ?? 'unknown' });
  for (const [code, n] of Object.entries(summary.resultCodes ?? {})) metrics.recipientsSent.inc({ client, list, result_code: code }, n);
  if (typeof summary.rejected === 'number' && summary.rejected > 0) metrics.recipientsRejected.inc({ client, list }, summary.rejected);
  for (const [reason, n] of Object.entries(summary.excluded ?? {})) metrics.recipientsExcluded.inc({ client, list, reason }, n);
  if (input.status === 'ready' && typeof summary.windowSeconds === 'number') metrics.clearToReadySeconds.observe({ client, list }, summary.windowSeconds);
}

function recordFeedback(metrics: SyncMetrics, activity: CompletedActivity): void {
  const client = (activity.input as { client?: string }).client;
  const output = activity.output as { watermark?: string; rejected?: Counts; dropped?: { quarantined?: unknown[] } } | undefined;
  if (client) {
    const quarantined = output?.dropped?.quarantined?.length ?? 0;
    if (quarantined > 0) metrics.feedbackFilesQuarantined.inc({ client }, quarantined);
    for (const [reason, n] of Object.entries(output?.rejected ?? {})) if (n > 0) metrics.feedbackRowsRejected.inc({ client, reason }, n);
  }
  const watermark = output?.watermark;
  const at = watermark ? Date.parse(watermark) : NaN;
  if (!client || Number.isNaN(at)) return;
  metrics.feedbackLagSeconds.set({ client }, Math.max(0, (activity.now.getTime() - at) / 1000));
}

function recordResponseLag(metrics: SyncMetrics, activity: CompletedActivity): void {
  const client = (activity.input as { client?: string }).client;
  const plan = activity.output as { lagging?: boolean; lostBeforeMs?: number } | undefined;
  if (!client || !plan) return;
  metrics.responsesLagging.set({ client }, plan.lagging ? 1 : 0);
  metrics.responsesLostSeconds.set({ client }, (plan.lostBeforeMs ?? 0) / 1000);
}
