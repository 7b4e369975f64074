import { statusQuery, type DailySyncStatus, type dailySyncWorkflow } from '../../workflows/daily-sync';
import { progressQuery } from '../../workflows/list-sync';
import type { ListSyncProgress } from '../../workflows/list-sync-state';
import type { JsonObject, ListControl } from '../store/types';
import { DEFAULT_ASK, inspectWorkflow, type AskOptions, type Retrying, type Unanswered } from './inspect-workflow';
import { findOpenListSync, openDailyRunIds } from './open-runs';
import type { Operations } from './operations';

export interface ListStatusLine {
  listKey: string;
  /** The persistent control, when one was ever set. */
  control?: ListControl;
  /** The open list sync's id and progress; absent when none is open or it did not answer. */
  open?: { workflowId: string; progress: ListSyncProgress };
  /** The open list sync did not answer: no worker is running it. */
  unanswered?: Unanswered;
  /** Activities of the open list sync Temporal is retrying (attempt, last error). */
  retrying?: Retrying[];
  /** The newest list sync that ended restored or failed after its clear: what the list holds now. */
  afterClear?: { runId: string; status: string; endedAt: string | null; restore: JsonObject };
}

/** What `campaign-sync status` shows: the open daily run's status and every list's progress. */
export interface StatusSnapshot {
  client: string;
  at: string;
  daily?: { workflowId: string; status: DailySyncStatus };
  /** The open daily run did not answer its query: no worker is running it. */
  dailyUnanswered?: Unanswered;
  /** Further open daily runs of the client; operator actions go to the newest (`daily`) only. */
  otherDailyRuns: string[];
  lists: ListStatusLine[];
}

/**
 * Finds the open runs (the daily run through visibility by the `CampaignClient` search attribute,
 * list syncs by their lock id) and asks each, all at once, `ask.attempts` times with
 * `ask.answerTimeoutMs` each: a busy worker gets time to answer, and with no worker running the
 * answer still comes within that bound, saying so.
 */
export async function statusSnapshot(ops: Operations, ask: AskOptions = DEFAULT_ASK): Promise<StatusSnapshot> {
  const clientKey = ops.client.key;
  const [newest, ...others] = await openDailyRunIds(ops.temporal, clientKey);
  const snapshot: StatusSnapshot = { client: clientKey, at: new Date().toISOString(), lists: [], otherDailyRuns: others };
  const daily = async () => {
    if (newest === undefined) return;
    const handle = ops.temporal.workflow.getHandle<typeof dailySyncWorkflow>(newest);
    const inspected = await inspectWorkflow(ops.temporal, handle, statusQuery, ask);
    if ('answer' in inspected) snapshot.daily = { workflowId: newest, status: inspected.answer };
    if ('unanswered' in inspected) snapshot.dailyUnanswered = inspected.unanswered;
  };
  const list = async (listKey: string): Promise<ListStatusLine> => {
    const line: ListStatusLine = { listKey };
    const control = await ops.store.controls.getList(clientKey, listKey);
    if (control) line.control = control;
    const afterClear = await lastAfterClearOutcome(ops, listKey);
    if (afterClear) line.afterClear = afterClear;
    const sync = await findOpenListSync(ops.temporal, clientKey, listKey);
    if (!sync) return line;
    const inspected = await inspectWorkflow(ops.temporal, sync.handle, progressQuery, ask);
    if ('answer' in inspected) line.open = { workflowId: sync.workflowId, progress: inspected.answer };
    if ('unanswered' in inspected) line.unanswered = inspected.unanswered;
    if ('retrying' in inspected && inspected.retrying.length > 0) line.retrying = inspected.retrying;
    return line;
  };
  const [, lines] = await Promise.all([daily(), Promise.all(ops.client.lists.map((l) => list(l.key)))]);
  snapshot.lists = lines;
  return snapshot;
}

/** True while anything is still running: what `status --watch` waits for. */
export function anythingOpen(snapshot: StatusSnapshot): boolean {
  return (
    snapshot.daily !== undefined ||
    snapshot.dailyUnanswered !== undefined ||
    snapshot.lists.some((line) => line.open !== undefined || line.unanswered !== undefined)
  );
}

/** True when an open run got no answer: `status` exits non-zero. */
export function someRunUnanswered(snapshot: StatusSnapshot): boolean {
  return snapshot.dailyUnanswered !== undefined || snapshot.lists.some((line) => line.unanswered !== undefined);
}

/** The newest list run, if it failed after its clear: its restore step says restored from where, or why not. */
async function lastAfterClearOutcome(ops: Operations, listKey: string): Promise<ListStatusLine['afterClear']> {
  const [run] = await ops.store.runs.list({ client: ops.client.key, listKey, kind: 'list', limit: 1 });
  if (!run || (run.status !== 'restored' && run.status !== 'failed')) return undefined;
  const step = (await ops.store.runs.steps(run.runId)).find((s) => s.name === 'restore');
  if (!step) return undefined;
  return { runId: run.runId, status: run.status, endedAt: run.endedAt, restore: { ...step.details, outcome: step.status } };
}
