import type { ScheduleDescription } from '@temporalio/client';
import { canonicalJson } from '../store/canonical-json';
import type { JsonValue } from '../store/types';
import type { ScheduleShape } from './desired-schedules';

/** The comparable shape of a schedule as the server describes it. */
export function describedShape(description: ScheduleDescription): ScheduleShape {
  const { spec, action, policies } = description;
  const calendar = spec.calendars?.[0];
  const interval = spec.intervals?.[0];
  return {
    workflowType: action.workflowType,
    workflowId: action.workflowId,
    taskQueue: action.taskQueue,
    args: [...(action.args ?? [])],
    timeZone: spec.timezone ?? 'UTC',
    ...(calendar ? { calendar: { hour: calendar.hour[0]?.start ?? 0, minute: calendar.minute[0]?.start ?? 0 } } : {}),
    ...(interval ? { everyMs: interval.every } : {}),
    overlap: policies.overlap ?? '',
    catchupWindowMs: policies.catchupWindow,
    pauseOnFailure: policies.pauseOnFailure,
  };
}

export function sameShape(a: ScheduleShape, b: ScheduleShape): boolean {
  return canonicalJson(normalise(a) as unknown as JsonValue) === canonicalJson(normalise(b) as unknown as JsonValue);
}

// Interval schedules carry no meaningful time zone; the server may not echo one back.
function normalise(shape: ScheduleShape): ScheduleShape {
  return shape.calendar ? shape : { ...shape, timeZone: '' };
}
