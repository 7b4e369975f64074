import { ScheduleNotFoundError, type Client, type ScheduleDescription } from '@temporalio/client';
import { MANAGED_BY, type DesiredSchedule } from './desired-schedules';
import { describedShape, sameShape } from './schedule-shape';

export type ScheduleChange = 'created' | 'updated' | 'unchanged' | 'stale' | 'deleted';

export interface ScheduleResult {
  scheduleId: string;
  change: ScheduleChange;
}

/**
 * Makes the server's schedules match the configuration: creates missing ones, updates changed ones
 * (keeping their paused state and note), leaves equal ones alone. Schedules campaign-sync created
 * that the configuration no longer has are reported as `stale`, and deleted only with `prune`.
 */
export async function applySchedules(
  temporal: Client,
  desired: DesiredSchedule[],
  options: { prune?: boolean } = {},
): Promise<ScheduleResult[]> {
  const results: ScheduleResult[] = [];
  for (const schedule of desired) results.push({ scheduleId: schedule.scheduleId, change: await applyOne(temporal, schedule) });
  const wanted = new Set(desired.map((s) => s.scheduleId));
  for (const scheduleId of await managedScheduleIds(temporal)) {
    if (wanted.has(scheduleId)) continue;
    if (options.prune) await temporal.schedule.getHandle(scheduleId).delete();
    results.push({ scheduleId, change: options.prune ? 'deleted' : 'stale' });
  }
  return results;
}

async function applyOne(temporal: Client, schedule: DesiredSchedule): Promise<ScheduleChange> {
  const handle = temporal.schedule.getHandle(schedule.scheduleId);
  let current: ScheduleDescription;
  try {
    current = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    await temporal.schedule.create(schedule.options);
    return 'created';
  }
  if (sameShape(describedShape(current), schedule.shape)) return 'unchanged';
  const { spec, action, policies } = schedule.options;
  await handle.update((previous) => ({
    ...previous,
    spec,
    action,
    policies,
    state: { paused: previous.state.paused, note: previous.state.note },
  }));
  return 'updated';
}

/** Ids of every schedule in the namespace that `schedules apply` created (memo `managedBy`). */
export async function managedScheduleIds(temporal: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of temporal.schedule.list()) {
    if (summary.memo?.managedBy === MANAGED_BY) ids.push(summary.scheduleId);
  }
  return ids.sort();
}
