import { pauseListUpdate, resumeListUpdate, statusQuery } from '../../workflows/daily-sync';
import { pauseUpdate, resumeUpdate } from '../../workflows/list-sync';
import type { OperatorAnswer } from '../../workflows/operator-messages';
import { ActionRefusedError } from '../errors/action-refused-error';
import { askWorkflow, ANSWER_DEADLINE_MS } from './ask-workflow';
import { findOpenDailyRun, findOpenListSync } from './open-runs';
import { nowIso, requireList, type Actor, type Operations } from './operations';

export interface ControlOutcome {
  listKey: string;
  paused: boolean;
  /** What the open run that holds the list answered; absent when no open run holds it. */
  answer?: OperatorAnswer;
}

/**
 * Pauses or resumes a list: the persistent control in the state store (daily runs skip a paused list
 * until it is resumed), the audit record, and the open run that holds the list, asked by Update. A
 * list sync running in the open daily run is asked directly (it knows whether a safe point lies
 * ahead); a list the daily run has not started yet is asked of the daily run. A refusal is thrown
 * (ActionRefusedError) after the stored control and the audit record are written.
 */
export async function setListPaused(ops: Operations, listKey: string, paused: boolean, actor: Actor): Promise<ControlOutcome> {
  requireList(ops.client, listKey);
  const clientKey = ops.client.key;
  const at = nowIso(ops);
  await ops.store.controls.setList({ client: clientKey, listKey, paused, by: actor.by, reason: actor.reason ?? '', at });
  let answer: OperatorAnswer | undefined;
  let refused: ActionRefusedError | undefined;
  try {
    answer = await askHolder(ops, listKey, paused, actor);
  } catch (error) {
    if (!(error instanceof ActionRefusedError)) throw error;
    const stored = paused
      ? 'the stored pause is saved: daily runs skip the list until resumed'
      : 'the stored pause is lifted: the next daily run syncs the list';
    refused = new ActionRefusedError(error.workflowId, error.action, `${error.reason} (${stored})`, { cause: error });
  }
  await ops.store.controls.recordAction({
    actor: actor.by,
    action: paused ? 'pause' : 'resume',
    client: clientKey,
    listKey,
    reason: actor.reason ?? '',
    at,
    details: {
      via: 'cli',
      ...(answer ? { workflowId: answer.workflowId, did: answer.did } : {}),
      ...(refused ? { refused: refused.message } : {}),
    },
  });
  if (refused) throw refused;
  return { listKey, paused, ...(answer ? { answer } : {}) };
}

async function askHolder(ops: Operations, listKey: string, paused: boolean, actor: Actor): Promise<OperatorAnswer | undefined> {
  const clientKey = ops.client.key;
  const daily = await findOpenDailyRun(ops.temporal, clientKey);
  const inDaily = daily
    ? (await ops.temporal.withDeadline(Date.now() + ANSWER_DEADLINE_MS, () => daily.query(statusQuery))).lists[listKey]
    : undefined;
  const sync = await findOpenListSync(ops.temporal, clientKey, listKey);
  const message = { by: actor.by, reason: actor.reason };
  const dailyHoldsIt = inDaily?.state === 'pending' || inDaily?.state === 'paused';
  if (sync && !dailyHoldsIt) return askWorkflow(ops.temporal, sync.handle, paused ? pauseUpdate : resumeUpdate, message);
  if (daily && inDaily) return askWorkflow(ops.temporal, daily, paused ? pauseListUpdate : resumeListUpdate, { listKey, ...message });
  return undefined;
}
