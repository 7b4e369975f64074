import { statusQuery, type DailySyncStatus, type dailySyncWorkflow } from '../../workflows/daily-sync';
import { progressQuery } from '../../workflows/list-sync';
import type { ListSyncProgress } from '../../workflows/list-sync-state';
import type { ListControl } from '../store/types';
import { findOpenListSync, openDailyRunIds } from './open-runs';
import type { Operations } from './operations';

export interface ListStatusLine {
  listKey: string;
  /** The persistent control, when one was ever set. */
  control?: ListControl;
  /** The open list sync's id and progress; absent when none is open. */
  open?: { workflowId: string; progress: ListSyncProgress };
}

/** What `campaign-sync status` shows: the open daily run's status and every list's progress. */
export interface StatusSnapshot {
  client: string;
  at: string;
  daily?: { workflowId: string; status: DailySyncStatus };
  /** Further open daily runs of the client; signals go to the newest (`daily`) only. */
  otherDailyRuns: string[];
  lists: ListStatusLine[];
}

export async function statusSnapshot(ops: Operations): Promise<StatusSnapshot> {
  const clientKey = ops.client.key;
  const [newest, ...others] = await openDailyRunIds(ops.temporal, clientKey);
  const snapshot: StatusSnapshot = { client: clientKey, at: new Date().toISOString(), lists: [], otherDailyRuns: others };
  const daily = newest === undefined ? undefined : ops.temporal.workflow.getHandle<typeof dailySyncWorkflow>(newest);
  if (daily) {
    // It may have closed between the listing and the query: then there is no open daily run.
    const status = await daily.query(statusQuery).catch(() => undefined);
    if (status) snapshot.daily = { workflowId: daily.workflowId, status };
  }
  for (const { key: listKey } of ops.client.lists) {
    const line: ListStatusLine = { listKey };
    const control = await ops.store.controls.getList(clientKey, listKey);
    if (control) line.control = control;
    const sync = await findOpenListSync(ops.temporal, clientKey, listKey);
    const progress = sync ? await sync.handle.query(progressQuery).catch(() => undefined) : undefined;
    if (sync && progress) line.open = { workflowId: sync.workflowId, progress };
    snapshot.lists.push(line);
  }
  return snapshot;
}

/** True while anything is still running: what `status --watch` waits for. */
export function anythingOpen(snapshot: StatusSnapshot): boolean {
  return snapshot.daily !== undefined || snapshot.lists.some((line) => line.open !== undefined);
}
