import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { MANAGED_BY, type DesiredSchedule } from './desired-schedules';
import { handEdits } from './hand-edits';
import { describedShape, sameShape } from './schedule-shape';

export type ScheduleChange = 'created' | 'updated' | 'unchanged' | 'stale' | 'deleted';

export interface ScheduleResult {
  scheduleId: string;
  change: ScheduleChange;
}

/** The note of a schedule `apply` paused because the configuration no longer has it; lifted when it comes back. */
export const STALE_NOTE = 'paused by campaign-sync schedules apply: no longer in the configuration (delete it with --prune)';

/** A schedule by one of campaign-sync's ids that campaign-sync did not create: never changed. */
export class ForeignScheduleError extends Error {
  override readonly name = 'ForeignScheduleError';
  constructor(readonly scheduleIds: string[]) {
    super(
      `${scheduleIds.join(', ')}: a schedule by this id exists that campaign-sync did not create (no memo managedBy: ${MANAGED_BY}); ` +
        'campaign-sync never changes a schedule it does not own: delete or rename it, then apply again. Nothing was changed.',
    );
  }
}

/**
 * Makes the server's schedules match the configuration: creates missing ones, updates changed ones
 * (keeping their paused state and note), leaves equal ones alone. Schedules campaign-sync created on
 * this task queue that the configuration no longer has are `stale`: paused, so they start no run for
 * a client or list nobody configures, and deleted only with `prune`. Another task queue's schedules
 * (another environment in the namespace) are never touched, nor any schedule without the memo.
 */
export async function applySchedules(
  temporal: Client,
  desired: DesiredSchedule[],
  options: { taskQueue: string; prune?: boolean },
): Promise<ScheduleResult[]> {
  const foreign: string[] = [];
  for (const schedule of desired) {
    const current = await describeIfAny(temporal.schedule.getHandle(schedule.scheduleId));
    if (current && !ownedBy(current)) foreign.push(schedule.scheduleId);
  }
  if (foreign.length > 0) throw new ForeignScheduleError(foreign);
  const results: ScheduleResult[] = [];
  for (const schedule of desired) results.push({ scheduleId: schedule.scheduleId, change: await applyOne(temporal, schedule) });
  const wanted = new Set(desired.map((s) => s.scheduleId));
  for (const scheduleId of await managedScheduleIds(temporal)) {
    if (wanted.has(scheduleId)) continue;
    const change = await retire(temporal.schedule.getHandle(scheduleId), options);
    if (change) results.push({ scheduleId, change });
  }
  return results;
}

async function applyOne(temporal: Client, schedule: DesiredSchedule): Promise<ScheduleChange> {
  const handle = temporal.schedule.getHandle(schedule.scheduleId);
  let current = await describeIfAny(handle);
  if (!current) {
    try {
      await temporal.schedule.create(schedule.options);
      return 'created';
    } catch (error) {
      // Another `apply` (a second worker starting) created it since: compare with what it wrote.
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      current = await handle.describe();
    }
  }
  if (!ownedBy(current)) throw new ForeignScheduleError([schedule.scheduleId]);
  const revived = current.state.paused && current.state.note === STALE_NOTE;
  if (!revived && sameShape(describedShape(current), schedule.shape) && handEdits(current).length === 0) return 'unchanged';
  const { spec, action, policies } = schedule.options;
  await handle.update((previous) => ({
    ...previous,
    spec,
    action,
    policies,
    // A pause by hand stays; the pause `apply` made when the schedule went stale ends with it.
    state: revived ? { paused: false, note: schedule.options.state?.note } : { paused: previous.state.paused, note: previous.state.note },
  }));
  return 'updated';
}

/** A managed schedule the configuration no longer has: paused (or deleted with prune) if it is this task queue's. */
async function retire(handle: ScheduleHandle, options: { taskQueue: string; prune?: boolean }): Promise<ScheduleChange | undefined> {
  const current = await describeIfAny(handle);
  if (!current || current.action.taskQueue !== options.taskQueue) return undefined;
  if (options.prune) {
    await handle.delete();
    return 'deleted';
  }
  // Paused by hand already: that pause and its note stay.
  if (!current.state.paused) await handle.pause(STALE_NOTE);
  return 'stale';
}

async function describeIfAny(handle: ScheduleHandle): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

const ownedBy = (description: ScheduleDescription) => description.memo?.managedBy === MANAGED_BY;

/** Ids of every schedule in the namespace that `schedules apply` created (memo `managedBy`). */
export async function managedScheduleIds(temporal: Client): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of temporal.schedule.list()) {
    if (summary.memo?.managedBy === MANAGED_BY) ids.push(summary.scheduleId);
  }
  return ids.sort();
}
