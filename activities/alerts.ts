import { log } from '@temporalio/activity';
import { postJson } from '../src/alerts/post-webhook';
import { notifyIncident, type NotifyResult } from '../src/alerts/notify-incident';
import type { IncidentNotice } from '../src/alerts/incident';
import { readSecret } from '../src/config/load-config';
import type { ActivityDependencies } from './deps';

/** Incident notices to the client's channels; the workflows call it best-effort (workflows/notify.ts). */
export function createAlertActivities(deps: ActivityDependencies) {
  const now = deps.now;
  return {
    async notifyIncident(notice: IncidentNotice): Promise<NotifyResult> {
      const client = deps.config.clients.find((c) => c.key === notice.client);
      const alerts = client?.alerts;
      const channels = (alerts?.channels ?? []).map((channel) => ({ kind: channel.kind, url: () => readSecret(channel.url) }));
      const timeoutMs = alerts?.timeout ?? 10_000;
      const result = await notifyIncident(
        { incidents: deps.store.incidents, channels, now, post: (url, body) => postJson(url, body, { timeoutMs }) },
        notice,
      );
      // Kind, key, state and counts only: the URL is a secret and never logged.
      log.info('Incident notice', { client: notice.client, kind: notice.kind, listKey: notice.listKey, state: notice.state, ...result });
      return result;
    },
  };
}
