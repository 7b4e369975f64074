import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { rerunListSignal } from '../../workflows/daily-sync';
import { listSyncWorkflow } from '../../workflows/list-sync';
import { ListBusyError } from '../errors/list-busy-error';
import { findOpenDailyRun } from './open-runs';
import { nowIso, requireList, type Actor, type Operations } from './operations';
import { listStartOptions } from './start-options';

export interface RerunOutcome {
  listKey: string;
  /** `signalled`: the open daily run queues it again; `started`: a list sync alone was started. */
  mode: 'signalled' | 'started';
  workflowId: string;
  /** The list's persistent control says paused: the re-run will skip it until resumed. */
  pausedControl: boolean;
}

/** Re-runs one list: through the open daily run if there is one, otherwise as a list sync alone. */
export async function rerunList(ops: Operations, listKey: string, actor: Actor): Promise<RerunOutcome> {
  requireList(ops.client, listKey);
  const clientKey = ops.client.key;
  const control = await ops.store.controls.getList(clientKey, listKey);
  const daily = await findOpenDailyRun(ops.temporal, clientKey);
  let outcome: RerunOutcome;
  if (daily) {
    await daily.signal(rerunListSignal, { listKey, by: actor.by, reason: actor.reason });
    outcome = { listKey, mode: 'signalled', workflowId: daily.workflowId, pausedControl: Boolean(control?.paused) };
  } else {
    const options = listStartOptions(clientKey, listKey, ops.taskQueue, { source: `cli (${actor.by})` });
    try {
      await ops.temporal.workflow.start(listSyncWorkflow, options);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ListBusyError(listKey, `a sync is already running (${options.workflowId})`, { cause: error });
      throw error;
    }
    outcome = { listKey, mode: 'started', workflowId: options.workflowId, pausedControl: Boolean(control?.paused) };
  }
  await ops.store.controls.recordAction({
    actor: actor.by,
    action: 'rerun',
    client: clientKey,
    listKey,
    reason: actor.reason ?? '',
    at: nowIso(ops),
    details: { via: 'cli', mode: outcome.mode, workflowId: outcome.workflowId },
  });
  return outcome;
}
