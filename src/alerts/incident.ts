import type { IncidentState } from '../store/incident-types';

/**
 * What a workflow reports to the alert channels: a condition that opened or cleared. Keys, counts,
 * reasons and run ids only, never recipient data (the guard's reasons are counts and percentages).
 */
export type IncidentKind = 'guard-hold' | 'list-not-ready' | 'list-late' | 'feedback-quarantined' | 'responses-lagging';

export interface IncidentNotice {
  client: string;
  kind: IncidentKind;
  state: IncidentState;
  runId: string;
  /** The list, for the per-list kinds (guard-hold, list-not-ready, list-late). */
  listKey?: string;
  /** list-late: the deadline missed, its `readyBy` and the local day it fell on (one incident per day). */
  deadline?: { readyBy: string; day: string };
  /** list-not-ready: the run's outcome, `failed` or `restored`. */
  status?: string;
  /** guard-hold: the guard's reasons. */
  reasons?: string[];
  /** Counts that say how big it is (quarantined files, lost seconds...). */
  counts?: Record<string, number>;
}

/** One incident per client and key: the same condition of the same list is one incident until it clears. */
export function incidentKey(notice: Pick<IncidentNotice, 'kind' | 'listKey' | 'deadline'>): string {
  const key = notice.listKey ? `${notice.kind}:${notice.listKey}` : notice.kind;
  return notice.deadline ? `${key}:${notice.deadline.day}` : key;
}

/** The webhook payload (docs/operations.md, "Notifications"). */
export interface IncidentPayload {
  type: 'campaign-sync.incident';
  version: 1;
  incident: string;
  state: IncidentState;
  kind: IncidentKind;
  client: string;
  listKey?: string;
  runId: string;
  at: string;
  summary: string;
  deadline?: { readyBy: string; day: string };
  reasons?: string[];
  commands?: string[];
  counts?: Record<string, number>;
}

export function incidentPayload(notice: IncidentNotice, at: Date): IncidentPayload {
  const commands =
    notice.kind === 'guard-hold' && notice.state === 'open' && notice.listKey ? decisionCommands(notice.client, notice.listKey) : undefined;
  return {
    type: 'campaign-sync.incident',
    version: 1,
    incident: incidentKey(notice),
    state: notice.state,
    kind: notice.kind,
    client: notice.client,
    ...(notice.listKey ? { listKey: notice.listKey } : {}),
    runId: notice.runId,
    at: at.toISOString(),
    summary: summaryOf(notice),
    ...(notice.deadline ? { deadline: notice.deadline } : {}),
    ...(notice.reasons?.length ? { reasons: notice.reasons } : {}),
    ...(commands ? { commands } : {}),
    ...(notice.counts ? { counts: notice.counts } : {}),
  };
}

/** The exact commands that decide a held list sync (docs/cli.md). */
export function decisionCommands(client: string, listKey: string): string[] {
  return ['approve', 'reject'].map((verb) => `campaign-sync --client ${client} ${verb} ${listKey} --reason "<why>"`);
}

function summaryOf(notice: IncidentNotice): string {
  const list = `${notice.client}/${notice.listKey ?? ''}`;
  const resolved = notice.state === 'resolved';
  switch (notice.kind) {
    case 'guard-hold':
      return resolved ? `List ${list}: the held sync was decided` : `List ${list} is held by the guard for an operator's decision`;
    case 'list-not-ready':
      return resolved
        ? `List ${list} is ready again (verified refill)`
        : notice.status === 'restored'
          ? `List ${list}: the sync failed after the clear; the last good list was restored`
          : `List ${list}: the sync failed`;
    case 'list-late': {
      const deadline = notice.deadline ? `${notice.deadline.readyBy} deadline of ${notice.deadline.day}` : 'deadline';
      return resolved
        ? `List ${list} is ready (verified refill) after missing its ${deadline}`
        : `List ${list} was not ready by its ${deadline}`;
    }
    case 'feedback-quarantined':
      return resolved
        ? `Client ${notice.client}: feedback imported without quarantined files`
        : `Client ${notice.client}: dropped feedback files set aside in quarantine/ (see each reason file)`;
    case 'responses-lagging':
      return resolved
        ? `Client ${notice.client}: response ingestion keeps up again`
        : `Client ${notice.client}: response data expires before ingestion reads it`;
  }
}

/** A Slack-compatible incoming-webhook message for the same payload. */
export function slackMessage(payload: IncidentPayload): { text: string } {
  const lines = [`${payload.state === 'open' ? ':rotating_light:' : ':white_check_mark: Resolved:'} ${payload.summary}`];
  for (const reason of payload.reasons ?? []) lines.push(`• ${reason}`);
  for (const [name, n] of Object.entries(payload.counts ?? {})) lines.push(`• ${name}: ${n}`);
  for (const command of payload.commands ?? []) lines.push(`\`${command}\``);
  lines.push(`run ${payload.runId} · incident ${payload.incident}`);
  return { text: lines.join('\n') };
}
