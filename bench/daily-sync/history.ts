import type { Client } from '@temporalio/client';

export interface ListHistory {
  events: number;
  refillChunks: number;
  /** First refillList scheduled .. last refillList completed, in seconds. */
  refillSeconds: number;
  /** Seconds between a refillList completing and the next one being scheduled, summed: the chunk hand-overs. */
  handOverSeconds: number;
  /** clearList completed .. verifyList completed, epoch milliseconds (server time): the list's window. */
  window: { from: number; to: number };
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/** Event count of one list sync's history and the span of its refill activities. */
export async function listHistory(client: Client, workflowId: string): Promise<ListHistory> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const refillIds = new Set<string>();
  const scheduled = new Map<string, string>();
  const window = { from: Number.NaN, to: Number.NaN };
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let handOver = 0;
  for (const event of events) {
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'refillList') {
      refillIds.add(String(event.eventId));
      first = Math.min(first, ms(event.eventTime));
      if (last > 0) handOver += ms(event.eventTime) - last;
    }
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) scheduled.set(String(event.eventId), name);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && refillIds.has(String(completed.scheduledEventId))) last = Math.max(last, ms(event.eventTime));
    if (completed && scheduled.get(String(completed.scheduledEventId)) === 'clearList') window.from = ms(event.eventTime);
    if (completed && scheduled.get(String(completed.scheduledEventId)) === 'verifyList') window.to = ms(event.eventTime);
  }
  return {
    events: events.length,
    refillChunks: refillIds.size,
    refillSeconds: (last - first) / 1000,
    handOverSeconds: handOver / 1000,
    window,
  };
}

/** Seconds of `a`'s window during which `b`'s window was open too. */
export function overlapSeconds(a: ListHistory, b: ListHistory): number {
  return Math.max(0, Math.min(a.window.to, b.window.to) - Math.max(a.window.from, b.window.from)) / 1000;
}

/**
 * History events for a list of `recipients` recipients, extrapolated from a measured run: the fixed
 * part stays, the per-chunk part grows with the chunks (100 batches of 1000 per chunk by default).
 */
export function extrapolateEvents(measured: ListHistory, recipients: number, batchesPerActivity = 100): number {
  const chunks = Math.ceil(Math.ceil(recipients / 1000) / batchesPerActivity);
  const perChunk = 6; // activity scheduled, started, completed + workflow task scheduled, started, completed
  return measured.events - measured.refillChunks * perChunk + chunks * perChunk;
}
