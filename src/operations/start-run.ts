import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { listSyncWorkflow } from '../../workflows/list-sync';
import { ListBusyError } from '../errors/list-busy-error';
import { requireList, type Operations } from './operations';
import { dailyStartOptions, listStartOptions, type RunTuning } from './start-options';

export type StartedRun =
  | { kind: 'daily'; handle: WorkflowHandle<typeof dailySyncWorkflow> }
  | { kind: 'list'; listKey: string; handle: WorkflowHandle<typeof listSyncWorkflow> };

/** Starts the client's daily run now, or one list sync alone. */
export async function startRun(ops: Operations, by: string, listKey?: string, tuning: RunTuning = {}): Promise<StartedRun> {
  const startedBy = { source: `cli (${by})` };
  if (listKey === undefined) {
    const handle = await ops.temporal.workflow.start(
      dailySyncWorkflow,
      dailyStartOptions(ops.client.key, ops.taskQueue, startedBy, tuning),
    );
    return { kind: 'daily', handle };
  }
  requireList(ops.client, listKey);
  const options = listStartOptions(ops.client.key, listKey, ops.taskQueue, startedBy, tuning);
  try {
    return { kind: 'list', listKey, handle: await ops.temporal.workflow.start(listSyncWorkflow, options) };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      throw new ListBusyError(listKey, `a sync is already running (${options.workflowId})`, { cause: error });
    throw error;
  }
}
