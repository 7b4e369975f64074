import { log, proxyActivities } from '@temporalio/workflow';
import type { SyncActivities } from '../activities/activity-interfaces';
import type { IncidentNotice } from '../src/alerts/incident';

// A notice is worth a few tries (about 7 s apart in all), never the run: after the last one it is
// logged and the run goes on with its own outcome. An undelivered notice is not lost: the incident is
// stored as not notified, so the next report of the same condition (the next run) sends it.
const alerting = proxyActivities<SyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});

/** Sends an incident notice (src/alerts/notify-incident.ts); its failure never changes the run's outcome. */
export async function notify(notice: IncidentNotice): Promise<void> {
  try {
    await alerting.notifyIncident(notice);
  } catch (error) {
    log.warn('Incident notice not delivered', {
      client: notice.client,
      kind: notice.kind,
      listKey: notice.listKey,
      state: notice.state,
      error: String(error),
    });
  }
}
