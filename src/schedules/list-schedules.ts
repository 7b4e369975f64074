import type { Client } from '@temporalio/client';
import { managedScheduleIds } from './apply-schedules';

export interface ScheduleListing {
  scheduleId: string;
  workflowType: string;
  when: string;
  paused: boolean;
  note?: string;
  nextRuns: string[];
  /** Workflow ids of the most recent actions, newest first. */
  recentRuns: string[];
  running: string[];
}

/** Every schedule campaign-sync manages, as the server describes it now. */
export async function listSchedules(temporal: Client): Promise<ScheduleListing[]> {
  const listings: ScheduleListing[] = [];
  for (const scheduleId of await managedScheduleIds(temporal)) {
    const d = await temporal.schedule.getHandle(scheduleId).describe();
    const calendar = d.spec.calendars?.[0];
    const interval = d.spec.intervals?.[0];
    const when = calendar
      ? `${pad(calendar.hour[0]?.start)}:${pad(calendar.minute[0]?.start)} ${d.spec.timezone ?? 'UTC'}`
      : `every ${(interval?.every ?? 0) / 60_000} min`;
    listings.push({
      scheduleId,
      workflowType: d.action.workflowType,
      when,
      paused: d.state.paused,
      note: d.state.note,
      nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      recentRuns: [...d.info.recentActions].reverse().map((a) => a.action.workflow.workflowId),
      running: d.info.runningActions.map((a) => a.workflow.workflowId),
    });
  }
  return listings;
}

const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
