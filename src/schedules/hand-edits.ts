import type { ScheduleDescription } from '@temporalio/client';

// `apply` compares the schedule's one calendar (or interval) with the configuration, but Temporal's
// spec holds more: someone editing the schedule by hand (the Web UI, `temporal schedule update`) can
// add a second time, a range of hours, weekdays, a jitter or an end date, or a run timeout on the
// action. Each of those starts runs the configuration never asked for (a refill at 14:00) or none
// (an end date passed), so any of them makes `apply` write the schedule again.

const EVERY = { second: [0, 0], dayOfMonth: [1, 31], month: ['JANUARY', 'DECEMBER'], dayOfWeek: ['SUNDAY', 'SATURDAY'] } as const;

/** What the server's schedule holds beyond the form `apply` writes, by name; empty when nothing. */
export function handEdits(description: ScheduleDescription): string[] {
  const { spec, action } = description;
  const calendars = spec.calendars ?? [];
  const intervals = spec.intervals ?? [];
  const edits: string[] = [];
  if (calendars.length + intervals.length !== 1) edits.push(`${calendars.length} calendars and ${intervals.length} intervals`);
  for (const calendar of calendars) {
    for (const field of ['hour', 'minute'] as const) if (!single(calendar[field])) edits.push(`calendar ${field} not one value`);
    for (const [field, [start, end]] of Object.entries(EVERY)) {
      const ranges = calendar[field as keyof typeof EVERY] as Array<{ start: unknown; end?: unknown; step?: number }>;
      if (!(ranges.length === 1 && ranges[0]?.start === start && (ranges[0]?.end ?? start) === end && (ranges[0]?.step ?? 1) === 1))
        edits.push(`calendar ${field}`);
    }
    if (calendar.year.length > 0) edits.push('calendar year');
  }
  for (const interval of intervals) if ((interval.offset ?? 0) !== 0) edits.push('interval offset');
  if ((spec.skip ?? []).length > 0) edits.push('skip');
  if (spec.startAt !== undefined) edits.push('startAt');
  if (spec.endAt !== undefined) edits.push('endAt');
  if ((spec.jitter ?? 0) !== 0) edits.push('jitter');
  for (const field of ['workflowExecutionTimeout', 'workflowRunTimeout', 'workflowTaskTimeout', 'retry'] as const)
    if (action[field] !== undefined) edits.push(`action ${field}`);
  return edits;
}

const single = (ranges: Array<{ start: number; end?: number; step?: number }>) =>
  ranges.length === 1 && (ranges[0]?.end ?? ranges[0]?.start) === ranges[0]?.start;
