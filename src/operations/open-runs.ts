import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { dailySyncWorkflow } from '../../workflows/daily-sync';
import { listSyncWorkflowId } from '../../workflows/ids';
import type { listSyncWorkflow } from '../../workflows/list-sync';
import { CLIENT_KEY } from '../../workflows/search-attributes';

/**
 * The client's open daily run, found through visibility (its id carries a timestamp). The
 * `CampaignClient` search attribute is set at start by the CLI and schedules, and upserted by the
 * workflow itself, so runs started elsewhere are found too once visibility has caught up.
 */
export async function findOpenDailyRun(temporal: Client, clientKey: string): Promise<WorkflowHandle<typeof dailySyncWorkflow> | undefined> {
  const [newest] = await openDailyRunIds(temporal, clientKey, 1);
  return newest === undefined ? undefined : temporal.workflow.getHandle<typeof dailySyncWorkflow>(newest);
}

/** Ids of the client's open daily runs, newest first. More than one is unusual (a run started by hand beside the scheduled one). */
export async function openDailyRunIds(temporal: Client, clientKey: string, limit = 10): Promise<string[]> {
  const query = `WorkflowType = 'dailySyncWorkflow' AND ExecutionStatus = 'Running' AND ${CLIENT_KEY.name} = '${clientKey}'`;
  const executions: Array<{ workflowId: string; startTime: Date }> = [];
  for await (const execution of temporal.workflow.list({ query, pageSize: limit })) {
    executions.push(execution);
    if (executions.length >= limit) break;
  }
  return executions.sort((a, b) => b.startTime.getTime() - a.startTime.getTime()).map((e) => e.workflowId);
}

/** The open list sync of a list: its workflow id is the list's lock, so there is at most one. */
export async function findOpenListSync(temporal: Client, clientKey: string, listKey: string): Promise<OpenListSync | undefined> {
  const handle = temporal.workflow.getHandle<typeof listSyncWorkflow>(listSyncWorkflowId(clientKey, listKey));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return undefined;
    return {
      workflowId: handle.workflowId,
      runId: description.runId,
      handle: temporal.workflow.getHandle<typeof listSyncWorkflow>(handle.workflowId, description.runId),
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** An open list sync, its handle bound to the run that was open when it was found. */
export interface OpenListSync {
  workflowId: string;
  runId: string;
  handle: WorkflowHandle<typeof listSyncWorkflow>;
}
