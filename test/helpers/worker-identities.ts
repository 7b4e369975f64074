// Which worker did what, read from a workflow's own history: every workflow task completion and
// activity start carries the identity of the worker that did it (the SDK's `<pid>@<host>`).

interface HistoryHandle {
  fetchHistory(): Promise<{ events?: HistoryEventShape[] | null }>;
}

interface HistoryEventShape {
  eventId?: unknown;
  workflowTaskCompletedEventAttributes?: { identity?: string | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown; identity?: string | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
}

export interface WorkByIdentity {
  /** Identities of the workers that completed the workflow's tasks. */
  workflowTasks: string[];
  /** Per activity type, the identities of the workers whose attempt completed it (one per activity). */
  completedActivities: Record<string, string[]>;
}

export async function workByIdentity(handle: HistoryHandle): Promise<WorkByIdentity> {
  const { events } = await handle.fetchHistory();
  const types = new Map<string, string>();
  const startedBy = new Map<string, string>();
  const work: WorkByIdentity = { workflowTasks: [], completedActivities: {} };
  for (const event of events ?? []) {
    const id = String(event.eventId);
    const taskCompleted = event.workflowTaskCompletedEventAttributes;
    if (taskCompleted?.identity) work.workflowTasks.push(taskCompleted.identity);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) types.set(id, scheduled.activityType?.name ?? '');
    const started = event.activityTaskStartedEventAttributes;
    if (started) startedBy.set(String(started.scheduledEventId), started.identity ?? '');
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const key = String(completed.scheduledEventId);
      const type = types.get(key) ?? '';
      (work.completedActivities[type] ??= []).push(startedBy.get(key) ?? '');
    }
  }
  return work;
}

/** The SDK's default worker identity starts with the process id. */
export const isWorkerPid = (identity: string, pid: number | undefined): boolean => pid !== undefined && identity.startsWith(`${pid}@`);

interface TaskQueueService {
  describeTaskQueue(request: { namespace: string; taskQueue: { name: string }; taskQueueType: number }): Promise<{
    pollers?: Array<{ identity?: string | null }> | null;
  }>;
}

/**
 * Resolves once `count` distinct workers poll the queue for workflow and for activity tasks: a worker
 * reports ready before its first polls reach the server, and a task started in between can only go to
 * the workers already polling.
 */
export async function waitForPollers(service: TaskQueueService, taskQueue: string, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const polling = async (taskQueueType: number) => {
    const { pollers } = await service.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType });
    return new Set((pollers ?? []).map((p) => p.identity)).size;
  };
  // 1 = workflow task queue, 2 = activity task queue (temporal.api.enums.v1.TaskQueueType).
  while ((await polling(1)) < count || (await polling(2)) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} workers poll ${taskQueue} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
