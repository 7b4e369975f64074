import type { IncidentStore } from '../store/incident-types';
import { incidentKey, incidentPayload, slackMessage, type IncidentNotice, type IncidentPayload } from './incident';

/** A configured channel with its URL read from the secret at the moment of sending. */
export interface AlertChannel {
  kind: 'webhook' | 'slack';
  /** Reads the URL (a secret reference) when needed; never logged. */
  url(): string;
}

export interface NotifyPorts {
  incidents: IncidentStore;
  channels: readonly AlertChannel[];
  post(url: string, body: unknown): Promise<unknown>;
  now(): Date;
}

export type NotifyResult = { sent: number } | { sent: 0; skipped: 'already-notified' | 'nothing-to-recover' | 'no-channels' };

/**
 * One notice per incident and one recovery notice when it clears. The state last notified is stored
 * only after every channel accepted, so a failed delivery is retried (by the activity's retries) and a
 * retry after success sends nothing. A recovery goes out only for an incident whose opening was notified.
 */
export async function notifyIncident(ports: NotifyPorts, notice: IncidentNotice): Promise<NotifyResult> {
  const key = incidentKey(notice);
  const previous = await ports.incidents.get(notice.client, key);
  const changedAt = previous?.state === notice.state ? previous.changedAt : ports.now().toISOString();
  const record = {
    client: notice.client,
    key,
    state: notice.state,
    runId: notice.runId,
    changedAt,
    ...(previous?.notified ? { notified: previous.notified } : {}),
  };
  if (previous?.notified === notice.state) {
    await ports.incidents.put(record);
    return { sent: 0, skipped: 'already-notified' };
  }
  if (notice.state === 'resolved' && previous?.notified !== 'open') {
    await ports.incidents.put(record);
    return { sent: 0, skipped: 'nothing-to-recover' };
  }
  await ports.incidents.put(record);
  if (ports.channels.length === 0) return { sent: 0, skipped: 'no-channels' };
  const payload = incidentPayload(notice, ports.now());
  await Promise.all(ports.channels.map((channel) => ports.post(channel.url(), bodyFor(channel, payload))));
  await ports.incidents.put({ ...record, notified: notice.state });
  return { sent: ports.channels.length };
}

function bodyFor(channel: AlertChannel, payload: IncidentPayload): unknown {
  return channel.kind === 'slack' ? slackMessage(payload) : payload;
}
