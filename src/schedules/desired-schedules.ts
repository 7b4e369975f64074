import { ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import {
  dailySyncScheduleId,
  dailySyncWorkflowId,
  readyByScheduleId,
  readyByWorkflowId,
  responseIngestWorkflowId,
  responsesScheduleId,
} from '../../workflows/ids';
import { readyByOf } from '../config/ready-by';
import { CLIENT_KEY } from '../../workflows/search-attributes';
import type { CampaignSyncConfig, ClientConfig } from '../config/config-schema';
import { dailySummary } from '../operations/start-options';

/** Marks the schedules `schedules apply` owns; `--prune` never touches a schedule without it. */
export const MANAGED_BY = 'campaign-sync';

/**
 * The policies of every schedule, set explicitly (docs/operations.md, "Schedules"):
 * - overlap SKIP: a run still going at the next start time is never doubled; list syncs hold a
 *   per-list lock anyway, and a skipped night is visible in the schedule's history.
 * - catchupWindow 2 hours: after a server outage a missed 02:30 run still starts until 04:30; later
 *   it is skipped rather than clearing lists during office hours (backfill by hand if needed).
 * - pauseOnFailure false: each night stands alone; one failed list must not stop tomorrow's run.
 */
export const SCHEDULE_POLICIES = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 hours', pauseOnFailure: false } as const;
export const CATCHUP_WINDOW_MS = 2 * 3_600_000;
/**
 * A deadline check has nothing to clear: after a server outage it should still run, late, so the
 * missed deadline is reported. Its catch-up window is 12 hours instead of 2.
 */
export const READY_BY_CATCHUP_WINDOW_MS = 12 * 3_600_000;

/** The fields `apply` compares to decide between unchanged and updated. */
export interface ScheduleShape {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  timeZone: string;
  calendar?: { hour: number; minute: number };
  everyMs?: number;
  overlap: string;
  catchupWindowMs: number;
  pauseOnFailure: boolean;
}

export interface DesiredSchedule {
  scheduleId: string;
  client: string;
  kind: 'daily' | 'responses' | 'ready-by';
  options: ScheduleOptions<ScheduleOptionsStartWorkflowAction<Workflow>>;
  shape: ScheduleShape;
}

/**
 * One daily schedule per client with a `schedule`, plus a response schedule when `responsesEvery` is
 * set, plus one deadline check per distinct `readyBy` of its enabled lists (whether or not it has a
 * daily schedule: a deadline must be checked even when nothing is scheduled to meet it).
 */
export function desiredSchedules(config: CampaignSyncConfig, taskQueue: string): DesiredSchedule[] {
  return config.clients.flatMap((client) => [...schedulesOf(client, taskQueue), ...readyBySchedulesOf(client, taskQueue)]);
}

function readyBySchedulesOf(client: ClientConfig, taskQueue: string): DesiredSchedule[] {
  const values = [...new Set(client.lists.filter((l) => l.enabled && l.readyBy !== undefined).map((l) => l.readyBy as string))].sort();
  return values.map((readyBy) => {
    const { hour, minute, timeZone } = readyByOf(readyBy);
    const shape: ScheduleShape = {
      workflowType: 'readyByWorkflow',
      workflowId: readyByWorkflowId(client.key, readyBy, 'scheduled'),
      taskQueue,
      args: [{ client: client.key, readyBy }],
      timeZone,
      calendar: { hour, minute },
      ...policyShape(),
      catchupWindowMs: READY_BY_CATCHUP_WINDOW_MS,
    };
    return build(client.key, 'ready-by', shape, `readyBy check ${readyBy} of client ${client.key}`, readyByScheduleId(client.key, readyBy));
  });
}

function schedulesOf(client: ClientConfig, taskQueue: string): DesiredSchedule[] {
  const schedule = client.schedule;
  if (!schedule) return [];
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const daily = build(
    client.key,
    'daily',
    {
      workflowType: 'dailySyncWorkflow',
      workflowId: dailySyncWorkflowId(client.key, 'scheduled'),
      taskQueue,
      args: [{ client: client.key }],
      timeZone: schedule.timeZone,
      calendar: { hour, minute },
      ...policyShape(),
    },
    dailySummary(client.key),
  );
  if (schedule.responsesEvery === undefined) return [daily];
  // The response workflow is registered by name: this module must not depend on its code.
  const responses = build(
    client.key,
    'responses',
    {
      workflowType: 'responseIngestWorkflow',
      workflowId: responseIngestWorkflowId(client.key, 'scheduled'),
      taskQueue,
      args: [{ client: client.key }],
      timeZone: schedule.timeZone,
      everyMs: schedule.responsesEvery,
      ...policyShape(),
    },
    `Response ingestion of client ${client.key}`,
  );
  return [daily, responses];
}

function policyShape() {
  return { overlap: SCHEDULE_POLICIES.overlap, catchupWindowMs: CATCHUP_WINDOW_MS, pauseOnFailure: SCHEDULE_POLICIES.pauseOnFailure };
}

function build(
  clientKey: string,
  kind: DesiredSchedule['kind'],
  shape: ScheduleShape,
  summary: string,
  scheduleId = kind === 'daily' ? dailySyncScheduleId(clientKey) : responsesScheduleId(clientKey),
): DesiredSchedule {
  const when = shape.calendar
    ? `daily at ${pad(shape.calendar.hour)}:${pad(shape.calendar.minute)} ${shape.timeZone}`
    : `every ${(shape.everyMs ?? 0) / 60_000} minutes`;
  const options: DesiredSchedule['options'] = {
    scheduleId,
    spec: shape.calendar
      ? { calendars: [{ ...shape.calendar, comment: when }], timezone: shape.timeZone }
      : { intervals: [{ every: shape.everyMs ?? 0 }] },
    action: {
      type: 'startWorkflow',
      workflowType: shape.workflowType,
      workflowId: shape.workflowId,
      taskQueue: shape.taskQueue,
      args: shape.args,
      typedSearchAttributes: [{ key: CLIENT_KEY, value: clientKey }],
      staticSummary: summary,
      staticDetails: `Started by schedule ${scheduleId} (${when}), applied by \`campaign-sync schedules apply\`.`,
    },
    policies: { ...SCHEDULE_POLICIES, ...(shape.catchupWindowMs === CATCHUP_WINDOW_MS ? {} : { catchupWindow: shape.catchupWindowMs }) },
    memo: { managedBy: MANAGED_BY, client: clientKey, kind },
    state: { note: `${kind} schedule of client ${clientKey}: ${when}` },
  };
  return { scheduleId, client: clientKey, kind, options, shape };
}

const pad = (n: number) => String(n).padStart(2, '0');
