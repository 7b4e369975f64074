import type { CampaignSyncConfig } from '../config/config-schema';
import { createSyncMetrics, type SyncMetrics } from './sync-metrics';

/** Each client's consent-latency objective in seconds, by client key. */
export function consentObjectivesSeconds(config: Pick<CampaignSyncConfig, 'clients'>): Record<string, number> {
  return Object.fromEntries(config.clients.map((client) => [client.key, Math.round(client.consentLatencyObjectiveHours * 3600)]));
}

/**
 * The worker's metrics for this configuration: every objective is a bucket bound of the latency
 * histogram and is exported per client, so the alert rule compares each client with its own.
 */
export function createConfiguredMetrics(config: Pick<CampaignSyncConfig, 'clients'>): SyncMetrics {
  const objectives = consentObjectivesSeconds(config);
  const metrics = createSyncMetrics({ consentObjectivesSeconds: Object.values(objectives) });
  for (const [client, seconds] of Object.entries(objectives)) metrics.consentLatencyObjective.set({ client }, seconds);
  return metrics;
}
