import type { ScheduleResult } from '../schedules/apply-schedules';
import type { ScheduleListing } from '../schedules/list-schedules';

/** What `schedules list` prints without --json: three lines per schedule, as Temporal describes it. */
export function scheduleListLines(listings: ScheduleListing[]): string[] {
  return listings.length === 0
    ? ['No campaign-sync schedules. Create them with: campaign-sync schedules apply']
    : listings.flatMap((s) => [
        `${s.scheduleId}  ${s.workflowType}  ${s.when}${s.paused ? '  PAUSED' : ''}`,
        `  next: ${s.nextRuns.join(', ') || 'none'}`,
        `  recent: ${s.recentRuns.slice(0, 3).join(', ') || 'none'}${s.running.length ? `; running: ${s.running.join(', ')}` : ''}`,
      ]);
}

/** What `schedules apply` prints without --json: one line per schedule and what was done to it. */
export function scheduleApplyLines(results: ScheduleResult[]): string[] {
  return [
    ...results.map((r) => `${r.change.padEnd(9)} ${r.scheduleId}`),
    ...(results.some((r) => r.change === 'stale')
      ? ['Stale schedules are no longer configured; remove them with: campaign-sync schedules apply --prune']
      : []),
    ...(results.length === 0 ? ['No client has a schedule in the configuration.'] : []),
  ];
}
