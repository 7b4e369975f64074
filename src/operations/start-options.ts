import { TypedSearchAttributes } from '@temporalio/common';
import { dailySyncWorkflowId, listSyncWorkflowId } from '../../workflows/ids';
import { CLIENT_KEY, LIST_KEY } from '../../workflows/search-attributes';

// How campaign-sync starts its workflows, shared by the CLI and the schedules, so a run reads the
// same in the Web UI whoever started it: search attributes from the first event, and a summary.

export interface StartedBy {
  /** `cli (alice)`, `schedule daily-sync:demo`: shown in the Web UI's summary. */
  source: string;
}

export function dailySummary(clientKey: string): string {
  return `Daily sync of client ${clientKey}: feedback import, then every list (export, guard, clear, refill, verify)`;
}

/** Batches of 1000 per refill activity (default 100): smaller chunks show finer progress, cost more history events. */
export interface RunTuning {
  batchesPerActivity?: number;
}

export function dailyStartOptions(
  clientKey: string,
  taskQueue: string,
  startedBy: StartedBy,
  tuning: RunTuning = {},
  stamp = new Date().toISOString(),
) {
  return {
    taskQueue,
    workflowId: dailySyncWorkflowId(clientKey, stamp),
    args: [{ client: clientKey, ...tuning }] as [{ client: string } & RunTuning],
    typedSearchAttributes: new TypedSearchAttributes([{ key: CLIENT_KEY, value: clientKey }]),
    staticSummary: dailySummary(clientKey),
    staticDetails: `Started by ${startedBy.source}. Lists paused from the CLI are skipped; see \`campaign-sync status\`.`,
  };
}

export function listStartOptions(clientKey: string, listKey: string, taskQueue: string, startedBy: StartedBy, tuning: RunTuning = {}) {
  return {
    taskQueue,
    workflowId: listSyncWorkflowId(clientKey, listKey),
    args: [{ client: clientKey, listKey, ...tuning }] as [{ client: string; listKey: string } & RunTuning],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CLIENT_KEY, value: clientKey },
      { key: LIST_KEY, value: listKey },
    ]),
    staticSummary: `List sync ${listKey} of client ${clientKey} on its own (feedback checked first)`,
    staticDetails: `Started by ${startedBy.source}.`,
  };
}
