import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * campaign-sync's own Prometheus metrics (the SDK's come from the Temporal runtime on a port of
 * their own). Labels are keys and codes only, never recipient data.
 */
export interface SyncMetrics {
  registry: Registry;
  recipientsSent: Counter<'client' | 'list' | 'result_code'>;
  recipientsExcluded: Counter<'client' | 'list' | 'reason'>;
  recipientsRejected: Counter<'client' | 'list'>;
  attributeValuesSanitized: Counter<'client' | 'list' | 'field'>;
  listRuns: Counter<'client' | 'list' | 'status'>;
  clearToReadySeconds: Histogram<'client' | 'list'>;
  feedbackLagSeconds: Gauge<'client'>;
  feedbackFilesQuarantined: Counter<'client'>;
  feedbackRowsRejected: Counter<'client' | 'reason'>;
  responsesLagging: Gauge<'client'>;
  responsesLostSeconds: Gauge<'client'>;
  listHeldSince: Gauge<'client' | 'list'>;
  listLastFinished: Gauge<'client' | 'list'>;
  listLastNotReady: Gauge<'client' | 'list'>;
  listLastReady: Gauge<'client' | 'list'>;
  feedbackWatermark: Gauge<'client'>;
  listDrift: Gauge<'client' | 'list' | 'direction'>;
  consentLatencySeconds: Histogram<'client' | 'stage'>;
  consentLatencyObjective: Gauge<'client'>;
  listReadyDeadlineMissed: Gauge<'client' | 'list'>;
}

/** Consent latency buckets (s): hours to a month, finer around a day, where objectives sit. */
export const CONSENT_LATENCY_BUCKETS = [1, 2, 4, 8, 12, 18, 24, 26, 30, 36, 48, 72, 168, 720].map((h) => h * 3600);

export interface SyncMetricsOptions {
  /**
   * The clients' consent-latency objectives (s), added as bucket bounds: with a bound exactly at the
   * objective, the alert rule's quantile is above the objective exactly when more than 1% were.
   */
  consentObjectivesSeconds?: readonly number[];
}

export function createSyncMetrics(options: SyncMetricsOptions = {}): SyncMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    recipientsSent: new Counter({
      name: 'campaign_sync_recipients_sent_total',
      help: 'Recipients sent with addAll3, by Optimizely result code (0 added, 5 already in the list, ...)',
      labelNames: ['client', 'list', 'result_code'],
      registers,
    }),
    recipientsExcluded: new Counter({
      name: 'campaign_sync_recipients_excluded_total',
      help: 'CRM selection rows kept out of the refill, by reason',
      labelNames: ['client', 'list', 'reason'],
      registers,
    }),
    recipientsRejected: new Counter({
      name: 'campaign_sync_recipients_rejected_total',
      help: 'Recipients Optimizely (or the request writer) refused on their own during a refill; the rest of their batch went in',
      labelNames: ['client', 'list'],
      registers,
    }),
    attributeValuesSanitized: new Counter({
      name: 'campaign_sync_attribute_values_sanitized_total',
      help: 'Attribute values the export changed so the refill can send them (characters XML cannot carry removed, cut to the limit), by CRM column; their recipients were sent',
      labelNames: ['client', 'list', 'field'],
      registers,
    }),
    listRuns: new Counter({
      name: 'campaign_sync_list_runs_total',
      help: 'Finished list syncs by outcome (ready, restored, rejected, skipped, failed)',
      labelNames: ['client', 'list', 'status'],
      registers,
    }),
    listDrift: new Gauge({
      name: 'campaign_sync_list_drift_recipients',
      help: 'Net recipients added to (direction added) or removed from (direction removed) a list at Optimizely since the last run left it, counted before the clear',
      labelNames: ['client', 'list', 'direction'],
      registers,
    }),
    clearToReadySeconds: new Histogram({
      name: 'campaign_sync_clear_to_ready_seconds',
      help: 'Seconds a list was incomplete in Optimizely: from the clear to the verified refill',
      labelNames: ['client', 'list'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
      registers,
    }),
    feedbackLagSeconds: new Gauge({
      name: 'campaign_sync_feedback_lag_seconds',
      help: 'Age of the newest feedback (bounces, unsubscribes) applied to the CRM, at the last import',
      labelNames: ['client'],
      registers,
    }),
    feedbackFilesQuarantined: new Counter({
      name: 'campaign_sync_feedback_files_quarantined_total',
      help: 'Dropped feedback files moved to quarantine/: unread (not a regular file, not UTF-8, bad header, not CSV), not applied (ids that do not fit, changing on every poll) or applied and set aside for review',
      labelNames: ['client'],
      registers,
    }),
    feedbackRowsRejected: new Counter({
      name: 'campaign_sync_feedback_rows_rejected_total',
      help: 'Feedback rows rejected by a check, by reason (column_count, missing_recipient_id, invalid_list_id, invalid_timestamp)',
      labelNames: ['client', 'reason'],
      registers,
    }),
    responsesLagging: new Gauge({
      name: 'campaign_sync_responses_lagging',
      help: '1 when the response watermark is so far behind that data expires before it is read, else 0',
      labelNames: ['client'],
      registers,
    }),
    responsesLostSeconds: new Gauge({
      name: 'campaign_sync_responses_lost_seconds',
      help: 'Span of response data that expired unread before the last ingestion could read it',
      labelNames: ['client'],
      registers,
    }),
    // The timestamps below exist for the alerting rules in deploy/prometheus/. They are times, not
    // flags, so that with several workers (each with its own registry) the rules compare the newest
    // of each across workers: a hold is open while held-since is newer than the last finish, a list is
    // not ready while its last failure is newer than its last ready run. A condition that clears stops
    // the alert, and Alertmanager sends the recovery notice.
    listHeldSince: new Gauge({
      name: 'campaign_sync_list_held_since_timestamp_seconds',
      help: 'Unix time the guard last held this list for an operator',
      labelNames: ['client', 'list'],
      registers,
    }),
    listLastFinished: new Gauge({
      name: 'campaign_sync_list_last_finished_timestamp_seconds',
      help: 'Unix time the last list sync of this list finished, whatever its outcome',
      labelNames: ['client', 'list'],
      registers,
    }),
    listLastNotReady: new Gauge({
      name: 'campaign_sync_list_last_not_ready_timestamp_seconds',
      help: "Unix time a list sync of this list last ended failed or restored (yesterday's recipients)",
      labelNames: ['client', 'list'],
      registers,
    }),
    listLastReady: new Gauge({
      name: 'campaign_sync_list_last_ready_timestamp_seconds',
      help: 'Unix time the last list sync of this list finished ready (verified)',
      labelNames: ['client', 'list'],
      registers,
    }),
    consentLatencySeconds: new Histogram({
      name: 'campaign_sync_consent_latency_seconds',
      help: 'Per unsubscribe and out-bounce: seconds from Optimizely\'s event time to its recording in the suppression ledger (stage="ledger") and to the first verified refill of each list that had the recipient (stage="list"), to the minute',
      labelNames: ['client', 'stage'],
      buckets: [...new Set([...CONSENT_LATENCY_BUCKETS, ...(options.consentObjectivesSeconds ?? [])])].sort((a, b) => a - b),
      registers,
    }),
    consentLatencyObjective: new Gauge({
      name: 'campaign_sync_consent_latency_objective_seconds',
      help: "The client's consent-latency objective (consentLatencyObjectiveHours): the alert compares each stage's 99th percentile with it",
      labelNames: ['client'],
      registers,
    }),
    listReadyDeadlineMissed: new Gauge({
      name: 'campaign_sync_list_ready_deadline_missed_timestamp_seconds',
      help: 'Unix time of the last readyBy deadline this list was not ready by (no verified refill since the deadline before it)',
      labelNames: ['client', 'list'],
      registers,
    }),
    feedbackWatermark: new Gauge({
      name: 'campaign_sync_feedback_watermark_timestamp_seconds',
      help: 'Unix time of the newest feedback (bounces, unsubscribes) applied to the CRM; stands still when imports stop',
      labelNames: ['client'],
      registers,
    }),
  };
}
