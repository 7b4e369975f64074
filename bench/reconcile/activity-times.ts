// Where a list sync's wall time goes: each activity's seconds from scheduled to completed, summed by
// activity type, from the workflow's history (server times). The rest of the wall time is workflow
// tasks and the gaps between activities.
import type { Client } from '@temporalio/client';

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/** Seconds per activity type, in the order the types were first scheduled. */
export async function activitySeconds(client: Client, workflowId: string): Promise<Record<string, number>> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, { name: string; at: number }>();
  const seconds: Record<string, number> = {};
  for (const event of events) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) {
      scheduled.set(String(event.eventId), { name, at: ms(event.eventTime) });
      seconds[name] ??= 0;
    }
    const done = event.activityTaskCompletedEventAttributes;
    const start = done ? scheduled.get(String(done.scheduledEventId)) : undefined;
    if (start) seconds[start.name] = (seconds[start.name] ?? 0) + (ms(event.eventTime) - start.at) / 1000;
  }
  return seconds;
}

/** `exportList 0.61, diffLiveList 1.20, …` */
export function formatActivitySeconds(seconds: Record<string, number>): string {
  return Object.entries(seconds)
    .map(([name, s]) => `${name} ${s.toFixed(2)}`)
    .join(', ');
}
