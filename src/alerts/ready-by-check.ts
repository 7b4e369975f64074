import type { ClientConfig } from '../config/config-schema';
import { deadlineAtOrBefore, readyByOf } from '../config/ready-by';
import type { StateStore } from '../store/state-store';

/** Input of `checkReadyBy`: the client, one `readyBy` of its lists, and when the check was due (ISO). */
export interface CheckReadyByInput {
  client: string;
  readyBy: string;
  /** The deadline checked is the latest one at or before this instant (the check's scheduled start). */
  at: string;
}

/**
 * Per list: `ready` when a list sync ended ready between the previous deadline and this one, `late`
 * when none did, `paused` when an operator paused the list (no incident: the pause is deliberate).
 * `readyNow`: a ready run since the previous deadline exists at the time of the check, late or not.
 */
export interface ListDeadlineState {
  listKey: string;
  state: 'ready' | 'late' | 'paused';
  readyNow: boolean;
  /** The deadline (ISO), repeated per list for the metric. */
  deadline: string;
  /** The ready run that counts, when there is one. */
  readyRunId?: string;
}

export interface CheckReadyByOutput {
  deadline: string;
  previousDeadline: string;
  /** The deadline's local date in its zone: one incident per list and day. */
  day: string;
  lists: ListDeadlineState[];
}

/** How far back a list's ready runs are read: far more than any day's re-runs. */
const RUNS_READ = 50;

/** Whether each enabled list with this `readyBy` was ready by the latest deadline at or before `at`. */
export async function checkReadyBy(store: StateStore, client: ClientConfig, input: CheckReadyByInput): Promise<CheckReadyByOutput> {
  const { deadlineMs, previousMs, localDate } = deadlineAtOrBefore(readyByOf(input.readyBy), Date.parse(input.at));
  const deadline = new Date(deadlineMs).toISOString();
  const lists: ListDeadlineState[] = [];
  for (const list of client.lists.filter((l) => l.enabled && l.readyBy === input.readyBy)) {
    const control = await store.controls.getList(client.key, list.key);
    const ready = await store.runs.list({ client: client.key, listKey: list.key, kind: 'list', status: 'completed', limit: RUNS_READ });
    const endedMs = (run: (typeof ready)[number]) => (run.endedAt ? Date.parse(run.endedAt) : NaN);
    const inTime = ready.find((run) => endedMs(run) > previousMs && endedMs(run) <= deadlineMs);
    const since = ready.find((run) => endedMs(run) > previousMs);
    const state = inTime ? 'ready' : control?.paused ? 'paused' : 'late';
    const counted = inTime ?? since;
    lists.push({ listKey: list.key, state, readyNow: since !== undefined, deadline, ...(counted ? { readyRunId: counted.runId } : {}) });
  }
  return { deadline, previousDeadline: new Date(previousMs).toISOString(), day: localDate, lists };
}
