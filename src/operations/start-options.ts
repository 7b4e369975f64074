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

export function dailyStartOptions(clientKey: string, taskQueue: string, startedBy: StartedBy, stamp = new Date().toISOString()) {
  return {
    taskQueue,
    workflowId: dailySyncWorkflowId(clientKey, stamp),
    args: [{ client: clientKey }] as [{ client: string }],
    typedSearchAttributes: new TypedSearchAttributes([{ key: CLIENT_KEY, value: clientKey }]),
    staticSummary: dailySummary(clientKey),
    staticDetails: `Started by ${startedBy.source}. Lists paused from the CLI are skipped; see \`campaign-sync status\`.`,
  };
}

export function listStartOptions(clientKey: string, listKey: string, taskQueue: string, startedBy: StartedBy) {
  return {
    taskQueue,
    workflowId: listSyncWorkflowId(clientKey, listKey),
    args: [{ client: clientKey, listKey }] as [{ client: string; listKey: string }],
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CLIENT_KEY, value: clientKey },
      { key: LIST_KEY, value: listKey },
    ]),
    staticSummary: `List sync ${listKey} of client ${clientKey} on its own (feedback checked first)`,
    staticDetails: `Started by ${startedBy.source}.`,
  };
}
