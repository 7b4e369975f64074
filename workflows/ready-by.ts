import { proxyActivities, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ReadyByActivities } from '../activities/activity-interfaces';
import type { CheckReadyByOutput } from '../src/alerts/ready-by-check';
import { notify } from './notify';
import { PERMANENT_ERROR_TYPES } from './retry-contract';
import { CLIENT_KEY } from './search-attributes';

// --- Activity tiers ---
// State store reads only: retried until the store answers (a check that cannot read it must not
// conclude anything), each attempt short.
const checks = proxyActivities<ReadyByActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...PERMANENT_ERROR_TYPES] },
});

const MINUTE = 60_000;

// --- Workflow ---
/** Input of {@link readyByWorkflow}: what the client's `ready-by:` schedule passes (src/schedules). */
export interface ReadyByWorkflowInput {
  client: string;
  /** One `readyBy` value of the client's lists ("06:00 Europe/Berlin"); every list with it is checked. */
  readyBy: string;
  /** After a miss, how often to look again for a ready run (ms); tests shorten it. Default 10 minutes. */
  recheckEveryMs?: number;
  /** How long after the check to keep looking (ms): less than a day, so the next deadline's check never overlaps. Default 23 h. */
  followForMs?: number;
}

/** What the check found: the deadline, the lists that missed it, and those of them ready since. */
export interface ReadyByResult {
  deadline: string;
  day: string;
  late: string[];
  recovered: string[];
  paused: string[];
}

/**
 * Started by a schedule at each `readyBy` deadline, independently of the daily run, so a run that never
 * started, a worker that was down overnight or a list still held all come out the same: no ready run
 * since the previous deadline. Each late list is one incident per list and day (`list-late`); the
 * workflow then looks again every `recheckEveryMs` and sends the recovery notice when the list is ready.
 * Another check of the same deadline finds the incident already notified and sends nothing.
 * The deadline is the latest at or before the workflow's start: a check delayed by a down worker still
 * checks the deadline it was scheduled for.
 */
export async function readyByWorkflow(input: ReadyByWorkflowInput): Promise<ReadyByResult> {
  const { runId, startTime } = workflowInfo();
  upsertSearchAttributes([{ key: CLIENT_KEY, value: input.client }]);
  const check = () => checks.checkReadyBy({ client: input.client, readyBy: input.readyBy, at: startTime.toISOString() });
  const first = await check();
  const late = first.lists.filter((list) => list.state === 'late').map((list) => list.listKey);
  const notice = (listKey: string, state: 'open' | 'resolved', result: CheckReadyByOutput) =>
    notify({
      client: input.client,
      kind: 'list-late',
      state,
      runId,
      listKey,
      deadline: { readyBy: input.readyBy, day: result.day },
    });
  const readyNow = (result: CheckReadyByOutput, listKey: string) => result.lists.some((l) => l.listKey === listKey && l.readyNow);
  // A late list already ready when the check runs (a check delayed past a late refill, or the same
  // deadline checked again) only resolves: nothing to tell unless an earlier check opened it.
  let waiting = late.filter((listKey) => !readyNow(first, listKey));
  const recovered = late.filter((listKey) => readyNow(first, listKey));
  for (const listKey of waiting) await notice(listKey, 'open', first);
  for (const listKey of recovered) await notice(listKey, 'resolved', first);
  const followUntil = startTime.getTime() + (input.followForMs ?? 23 * 60 * MINUTE);
  while (waiting.length > 0 && Date.now() + (input.recheckEveryMs ?? 10 * MINUTE) < followUntil) {
    await sleep(input.recheckEveryMs ?? 10 * MINUTE);
    const again = await check();
    const nowReady = waiting.filter((listKey) => readyNow(again, listKey));
    for (const listKey of nowReady) await notice(listKey, 'resolved', again);
    recovered.push(...nowReady);
    waiting = waiting.filter((listKey) => !nowReady.includes(listKey));
  }
  const paused = first.lists.filter((list) => list.state === 'paused').map((list) => list.listKey);
  return { deadline: first.deadline, day: first.day, late, recovered, paused };
}
