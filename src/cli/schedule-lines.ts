import type { ScheduleResult } from '../schedules/apply-schedules';
import type { ScheduleListing } from '../schedules/list-schedules';
import { fieldLine, shownField, shownText } from './terminal-text';

/** What `schedules list` prints without --json: three lines per schedule, as Temporal describes it. */
export function scheduleListLines(listings: ScheduleListing[]): string[] {
  return listings.length === 0
    ? ['No campaign-sync schedules. Create them with: campaign-sync schedules apply']
    : listings.flatMap((s) => [
        `${fieldLine`${s.scheduleId}  ${s.workflowType}  ${s.when}`}${s.paused ? '  PAUSED' : ''}${s.note ? `: ${shownText(s.note)}` : ''}`,
        `  next: ${s.nextRuns.map(shownField).join(', ') || 'none'}`,
        `  recent: ${s.recentRuns.slice(0, 3).map(shownField).join(', ') || 'none'}${s.running.length ? `; running: ${s.running.map(shownField).join(', ')}` : ''}`,
      ]);
}

/** What `schedules apply` prints without --json: one line per schedule and what was done to it. */
export function scheduleApplyLines(results: ScheduleResult[]): string[] {
  return [
    ...results.map((r) => `${r.change.padEnd(9)} ${shownField(r.scheduleId)}`),
    ...(results.some((r) => r.change === 'stale')
      ? [
          'Stale schedules are no longer configured and are paused (they start nothing); delete them with: campaign-sync schedules apply --prune',
        ]
      : []),
    ...(results.length === 0 ? ['No client has a schedule in the configuration.'] : []),
  ];
}
