import {
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
  type SignalDefinition,
} from '@temporalio/workflow';
import type { ListDrift } from '../src/sync/drift';
import { pauseSignal, resumeSignal } from './list-sync-operator';
import { DAILY_SIGNAL_TO_ENDED_LIST_PATCH } from './patches';
import { receivedSignal } from './received-signal';
import {
  checkOperatorText,
  DAILY_SIGNAL_PATCHES,
  handledSignal,
  printable,
  refuse,
  updateValidator,
  OPERATOR_FIELDS,
  type OperatorAnswer,
  type OperatorSignal,
} from './operator-messages';

// Operator messages of the daily run. Updates answer (accepted: what the run did; refused: why, and
// nothing changes); the signals of the same names stay handled as before, for older callers and the
// histories that recorded them.

export interface ListSignal extends OperatorSignal {
  listKey: string;
}

/** `restored`: failed after its clear and refilled from the last good list; counts as a failure of the day. */
export type DailyListState = 'pending' | 'running' | 'ready' | 'rejected' | 'skipped' | 'paused' | 'busy' | 'failed' | 'restored';

export interface DailyListStatus {
  state: DailyListState;
  workflowId: string;
  /** The run id of this list's sync (its run in the state store); set once it started. */
  runId?: string;
  note?: string;
  verifiedCount?: number;
  windowSeconds?: number;
  /** Recipients Optimizely refused on their own (ledgered rejected); the list is ready without them. */
  rejected?: number;
  /** The live list before the clear against what the last run left (counts only). */
  drift?: ListDrift;
  /** Strategy reconcile: the list was diffed and patched, never cleared (its window is 0). */
  strategy?: 'reconcile';
}

/** The part of the daily status the operator handlers read and change. */
export interface DailyLists {
  phase: string;
  lists: Record<string, DailyListStatus>;
}

/**
 * The list queue the lanes read. `accepting` is true while a list put on it will still run: during the
 * lists, and after them until the daily run's last phase (lanes stay open). Runs started before lanes
 * stayed open stop accepting when their lists are done.
 */
export interface ListQueue {
  keys: string[];
  accepting: boolean;
}

/** The fields a message to the daily run takes. */
const LIST_MESSAGE_FIELDS: readonly string[] = ['listKey', ...OPERATOR_FIELDS];

export const pauseListSignal = defineSignal<[ListSignal]>('pauseList');
export const resumeListSignal = defineSignal<[ListSignal]>('resumeList');
export const rerunListSignal = defineSignal<[ListSignal]>('rerunList');

export const pauseListUpdate = defineUpdate<OperatorAnswer, [ListSignal]>('pauseList');
export const resumeListUpdate = defineUpdate<OperatorAnswer, [ListSignal]>('resumeList');
export const rerunListUpdate = defineUpdate<OperatorAnswer, [ListSignal]>('rerunList');

type RecordAction = (action: string, message: ListSignal) => Promise<void>;

/** The list a message names, own properties only (a key like `__proto__` names nothing). */
export function listOf(status: DailyLists, listKey: unknown): DailyListStatus | undefined {
  return typeof listKey === 'string' && Object.prototype.hasOwnProperty.call(status.lists, listKey) ? status.lists[listKey] : undefined;
}

/** Registers the signal and Update handlers; call first in the workflow body. */
export function handleDailyOperatorMessages(status: DailyLists, queue: ListQueue, record: RecordAction): void {
  const answer = (action: string, did: string): OperatorAnswer => ({
    action,
    workflowId: workflowInfo().workflowId,
    phase: status.phase,
    did,
  });

  // Received undecoded (workflows/received-signal.ts): a payload that cannot be decoded is ignored, not a failed task.
  setHandler(receivedSignal(pauseListSignal), async (...args) => {
    const handled = handledSignal<ListSignal>('pauseList', args, DAILY_SIGNAL_PATCHES, { listKey: true });
    if (!handled) return;
    const m = handled.message;
    await pauseList(status, queue, m);
    await record('pauseList', m);
  });
  setHandler(receivedSignal(resumeListSignal), async (...args) => {
    const handled = handledSignal<ListSignal>('resumeList', args, DAILY_SIGNAL_PATCHES, { listKey: true });
    if (!handled) return;
    const m = handled.message;
    await resumeList(status, queue, m);
    await record('resumeList', m);
  });
  setHandler(receivedSignal(rerunListSignal), async (...args) => {
    const handled = handledSignal<ListSignal>('rerunList', args, DAILY_SIGNAL_PATCHES, { listKey: true });
    if (!handled) return;
    const m = handled.message;
    const list = listOf(status, m.listKey);
    if (list && list.state !== 'running' && !queue.keys.includes(m.listKey)) requeue(list, queue, m.listKey, `re-run requested by ${m.by}`);
    await record('rerunList', m);
  });

  setHandler(
    pauseListUpdate,
    async (m) => {
      const phase = status.phase;
      const did = await pauseList(status, queue, m);
      await record('pauseList', m);
      return { ...answer('pauseList', did), phase };
    },
    { validator: updateValidator((m: ListSignal) => validatePauseList(status, m)) },
  );
  setHandler(
    resumeListUpdate,
    async (m) => {
      const phase = status.phase;
      const did = await resumeList(status, queue, m);
      await record('resumeList', m);
      return { ...answer('resumeList', did), phase };
    },
    { validator: updateValidator((m: ListSignal) => validateResumeList(status, queue, m)) },
  );
  setHandler(
    rerunListUpdate,
    async (m) => {
      requeue(listOf(status, m.listKey) as DailyListStatus, queue, m.listKey, `re-run requested by ${m.by}`);
      const reply = answer('rerunList', queuedAnswer(status, queue, m.listKey, 're-run'));
      await record('rerunList', m);
      return reply;
    },
    { validator: updateValidator((m: ListSignal) => validateRerunList(status, queue, m)) },
  );
}

// --- Validators: refuse with a reason, change nothing ---
export function validatePauseList(status: DailyLists, m: ListSignal): void {
  const list = knownList(status, m);
  if (list.state === 'paused') refuse(`list ${m.listKey} is already paused in this run (${list.note ?? ''})`);
  if (list.state !== 'pending' && list.state !== 'running')
    refuse(`list ${m.listKey} is already ${list.state} in this run: nothing left to pause`);
}

export function validateResumeList(status: DailyLists, queue: ListQueue, m: ListSignal): void {
  const list = knownList(status, m);
  if (list.state === 'running') return;
  if (list.state !== 'paused') refuse(`list ${m.listKey} is not paused in this run (it is ${list.state})`);
  stillAccepting(queue);
}

export function validateRerunList(status: DailyLists, queue: ListQueue, m: ListSignal): void {
  const list = knownList(status, m);
  if (list.state === 'running') refuse(`list ${m.listKey} is running now (${list.workflowId})`);
  if (list.state === 'pending') refuse(`list ${m.listKey} is already queued in this run`);
  if (list.state === 'paused') refuse(`list ${m.listKey} is paused in this run (${list.note ?? ''}): resume it instead`);
  stillAccepting(queue);
}

function knownList(status: DailyLists, m: ListSignal): DailyListStatus {
  checkOperatorText(m, LIST_MESSAGE_FIELDS);
  if (status.phase === 'planning') refuse('the daily run is still planning its lists; try again in a few seconds');
  const list = listOf(status, m.listKey);
  if (!list) refuse(`list ${printable(m.listKey)} is not part of this daily run (its lists: ${Object.keys(status.lists).join(', ')})`);
  return list;
}

function stillAccepting(queue: ListQueue): void {
  if (!queue.accepting) refuse('the daily run has finished its lists and is closing: once it has closed, the list syncs alone');
}

// --- Effects, shared by signals and Updates ---
function requeue(list: DailyListStatus, queue: ListQueue, listKey: string, note: string): void {
  Object.assign(list, { state: 'pending', note });
  queue.keys.push(listKey);
}

function queuedAnswer(status: DailyLists, queue: ListQueue, listKey: string, what: string): string {
  const position = queue.keys.indexOf(listKey) + 1;
  const late = status.phase !== 'feedback' && status.phase !== 'lists' ? '; the daily run waits for it before it closes' : '';
  return `${what} queued (position ${position}): starts as soon as a lane is free${late}`;
}

/**
 * Forwards a pause or resume to the list sync the status says runs; false when it has ended. A
 * signal or Update that comes in the workflow task that also brings the list sync's end is handled
 * before the end is (the SDK runs handlers first), so the status still says `running`: the forward
 * then fails (the workflow is not found), and that failure, thrown from a signal handler, failed the
 * whole daily run, the lists still queued with it.
 */
async function forwardToList(
  workflowId: string,
  signal: SignalDefinition<[{ by: string; reason?: string }]>,
  m: ListSignal,
): Promise<boolean> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(signal, { by: m.by, reason: m.reason });
    return true;
  } catch (error) {
    // Runs from before the patch failed here; their histories must replay that way.
    if (!patched(DAILY_SIGNAL_TO_ENDED_LIST_PATCH)) throw error;
    return false;
  }
}

const endedAnswer = (workflowId: string) => `nothing: ${workflowId} has just ended (this daily run records its outcome)`;

async function pauseList(status: DailyLists, queue: ListQueue, m: ListSignal): Promise<string> {
  const list = listOf(status, m.listKey);
  if (!list) return 'nothing: unknown list';
  const queued = queue.keys.indexOf(m.listKey);
  if (queued >= 0) queue.keys.splice(queued, 1);
  if (list.state === 'running') {
    if (!(await forwardToList(list.workflowId, pauseSignal, m))) return endedAnswer(list.workflowId);
    return `asked ${list.workflowId} to pause at its next safe point (it answers a pause Update itself)`;
  }
  if (list.state === 'pending') {
    Object.assign(list, { state: 'paused', note: `paused by ${m.by}: ${m.reason ?? ''}` });
    return 'taken off the queue: it does not run in this daily run unless resumed';
  }
  return `nothing: the list is ${list.state}`;
}

async function resumeList(status: DailyLists, queue: ListQueue, m: ListSignal): Promise<string> {
  const list = listOf(status, m.listKey);
  if (!list) return 'nothing: unknown list';
  if (list.state === 'running') {
    if (!(await forwardToList(list.workflowId, resumeSignal, m))) return endedAnswer(list.workflowId);
    return `asked ${list.workflowId} to resume`;
  }
  if (list.state === 'paused') {
    requeue(list, queue, m.listKey, `resumed by ${m.by}`);
    return queuedAnswer(status, queue, m.listKey, 'resumed and');
  }
  return `nothing: the list is ${list.state}`;
}
