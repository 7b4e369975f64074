import { droppedCounts } from '../feedback/bounded-dropped-report';
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
  if (activity.activityType === 'evaluateGuard') recordGuardHold(metrics, activity);
  if (activity.activityType === 'measureDrift') recordDrift(metrics, activity);
  if (activity.activityType === 'checkReadyBy') recordReadyBy(metrics, activity);
}

/** A missed deadline's time per list: the rule compares it with the list's last ready run. */
function recordReadyBy(metrics: SyncMetrics, activity: CompletedActivity): void {
  const client = (activity.input as { client?: string }).client;
  const output = activity.output as { lists?: Array<{ listKey?: string; state?: string; deadline?: string }> } | undefined;
  if (!client) return;
  for (const list of output?.lists ?? []) {
    const at = list.deadline ? Date.parse(list.deadline) : NaN;
    if (list.state === 'late' && list.listKey && !Number.isNaN(at))
      metrics.listReadyDeadlineMissed.set({ client, list: list.listKey }, at / 1000);
  }
}

function recordDrift(metrics: SyncMetrics, activity: CompletedActivity): void {
  const labels = listOf(activity.workflowId);
  const drift = activity.output as { added?: number; removed?: number } | undefined;
  if (!labels || typeof drift?.added !== 'number' || typeof drift.removed !== 'number') return;
  metrics.listDrift.set({ ...labels, direction: 'added' }, drift.added);
  metrics.listDrift.set({ ...labels, direction: 'removed' }, drift.removed);
}

/** `list-sync:<client>:<list>` (workflows/ids.ts); keys cannot contain a colon. */
function listOf(workflowId: string): { client: string; list: string } | undefined {
  const [prefix, client, list] = workflowId.split(':');
  return prefix === 'list-sync' && client && list ? { client, list } : undefined;
}

function recordGuardHold(metrics: SyncMetrics, activity: CompletedActivity): void {
  const labels = listOf(activity.workflowId);
  const verdict = activity.output as { hold?: boolean } | undefined;
  if (labels && verdict?.hold === true) metrics.listHeldSince.set(labels, activity.now.getTime() / 1000);
}

function recordFinishedList(metrics: SyncMetrics, activity: CompletedActivity): void {
  const labels = listOf(activity.workflowId);
  if (!labels) return;
  const { client, list } = labels;
  const input = activity.input as {
    status?: string;
    summary?: { resultCodes?: Counts; excluded?: Counts; sanitized?: Counts; rejected?: number; windowSeconds?: number };
  };
  const summary = input.summary ?? {};
  metrics.listRuns.inc({ client, list, status: input.status ?? 'unknown' });
  for (const [code, n] of Object.entries(summary.resultCodes ?? {})) metrics.recipientsSent.inc({ client, list, result_code: code }, n);
  if (typeof summary.rejected === 'number' && summary.rejected > 0) metrics.recipientsRejected.inc({ client, list }, summary.rejected);
  for (const [reason, n] of Object.entries(summary.excluded ?? {})) metrics.recipientsExcluded.inc({ client, list, reason }, n);
  for (const [field, n] of Object.entries(summary.sanitized ?? {}))
    if (n > 0) metrics.attributeValuesSanitized.inc({ client, list, field }, n);
  if (input.status === 'ready' && typeof summary.windowSeconds === 'number')
    metrics.clearToReadySeconds.observe({ client, list }, summary.windowSeconds);
  const at = activity.now.getTime() / 1000;
  // Whatever the outcome, the run is no longer waiting for an operator.
  metrics.listLastFinished.set(labels, at);
  if (input.status === 'ready') metrics.listLastReady.set(labels, at);
  // Rejected and skipped runs leave the list as it was: they neither raise nor clear the condition.
  if (input.status === 'failed' || input.status === 'restored') metrics.listLastNotReady.set(labels, at);
  const output = activity.output as { consentLatencyMinutes?: Counts } | undefined;
  recordConsentLatency(metrics, client, 'list', output?.consentLatencyMinutes ?? {});
}

function recordFeedback(metrics: SyncMetrics, activity: CompletedActivity): void {
  const client = (activity.input as { client?: string }).client;
  const output = activity.output as
    { watermark?: string; rejected?: Counts; dropped?: Parameters<typeof droppedCounts>[0]; consentLatencyMinutes?: Counts } | undefined;
  if (client) recordConsentLatency(metrics, client, 'ledger', output?.consentLatencyMinutes ?? {});
  if (client) {
    // Always touched, so the series exists at 0 before the first quarantine and increase() sees it.
    metrics.feedbackFilesQuarantined.inc({ client }, droppedCounts(output?.dropped).quarantined);
    for (const [reason, n] of Object.entries(output?.rejected ?? {})) if (n > 0) metrics.feedbackRowsRejected.inc({ client, reason }, n);
  }
  const watermark = output?.watermark;
  const at = watermark ? Date.parse(watermark) : NaN;
  if (!client || Number.isNaN(at)) return;
  metrics.feedbackLagSeconds.set({ client }, Math.max(0, (activity.now.getTime() - at) / 1000));
  metrics.feedbackWatermark.set({ client }, at / 1000);
}

/** Whole minutes to how many opt-outs took them; anything but a count of a non-negative minute is ignored. */
function recordConsentLatency(metrics: SyncMetrics, client: string, stage: 'ledger' | 'list', minutes: Counts): void {
  for (const [minute, n] of Object.entries(minutes)) {
    const seconds = Number(minute) * 60;
    if (!Number.isFinite(seconds) || seconds < 0 || !Number.isSafeInteger(n) || n <= 0) continue;
    for (let i = 0; i < n; i += 1) metrics.consentLatencySeconds.observe({ client, stage }, seconds);
  }
}

function recordResponseLag(metrics: SyncMetrics, activity: CompletedActivity): void {
  const client = (activity.input as { client?: string }).client;
  const plan = activity.output as { lagging?: boolean; lostBeforeMs?: number } | undefined;
  if (!client || !plan) return;
  metrics.responsesLagging.set({ client }, plan.lagging ? 1 : 0);
  metrics.responsesLostSeconds.set({ client }, (plan.lostBeforeMs ?? 0) / 1000);
}
