import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { rerunListUpdate } from '../../workflows/daily-sync';
import { listSyncWorkflow } from '../../workflows/list-sync';
import type { OperatorAnswer } from '../../workflows/operator-messages';
import { ActionRefusedError } from '../errors/action-refused-error';
import { ListBusyError } from '../errors/list-busy-error';
import { askWorkflow } from './ask-workflow';
import { findOpenDailyRun } from './open-runs';
import { nowIso, requireList, type Actor, type Operations } from './operations';
import { listStartOptions } from './start-options';

export interface RerunOutcome {
  listKey: string;
  /** `queued`: the open daily run accepted it (see `answer`); `started`: a list sync alone was started. */
  mode: 'queued' | 'started';
  workflowId: string;
  /** The list's persistent control says paused: the re-run will skip it until resumed. */
  pausedControl: boolean;
  /** The open daily run's answer. */
  answer?: OperatorAnswer;
}

/** Re-runs one list: through the open daily run if there is one, otherwise as a list sync alone. */
export async function rerunList(ops: Operations, listKey: string, actor: Actor): Promise<RerunOutcome> {
  requireList(ops.client, listKey);
  const clientKey = ops.client.key;
  const control = await ops.store.controls.getList(clientKey, listKey);
  const daily = await findOpenDailyRun(ops.temporal, clientKey);
  let outcome: RerunOutcome;
  if (daily) {
    try {
      const answer = await askWorkflow(ops.temporal, daily, rerunListUpdate, { listKey, by: actor.by, reason: actor.reason });
      outcome = { listKey, mode: 'queued', workflowId: daily.workflowId, pausedControl: Boolean(control?.paused), answer };
    } catch (error) {
      if (error instanceof ActionRefusedError) await recordRerun(ops, listKey, actor, { refused: error.message });
      throw error;
    }
  } else {
    const options = listStartOptions(clientKey, listKey, ops.taskQueue, { source: `cli (${actor.by})` });
    try {
      await ops.temporal.workflow.start(listSyncWorkflow, options);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError)
        throw new ListBusyError(listKey, `a sync is already running (${options.workflowId})`, { cause: error });
      throw error;
    }
    outcome = { listKey, mode: 'started', workflowId: options.workflowId, pausedControl: Boolean(control?.paused) };
  }
  await recordRerun(ops, listKey, actor, {
    mode: outcome.mode,
    workflowId: outcome.workflowId,
    ...(outcome.answer ? { did: outcome.answer.did } : {}),
  });
  return outcome;
}

async function recordRerun(ops: Operations, listKey: string, actor: Actor, details: Record<string, string>): Promise<void> {
  await ops.store.controls.recordAction({
    actor: actor.by,
    action: 'rerun',
    client: ops.client.key,
    listKey,
    reason: actor.reason ?? '',
    at: nowIso(ops),
    details: { via: 'cli', ...details },
  });
}
