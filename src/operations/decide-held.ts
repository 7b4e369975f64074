import { approveUpdate, rejectUpdate } from '../../workflows/list-sync';
import type { OperatorAnswer } from '../../workflows/operator-messages';
import { NotFoundError } from '../errors/not-found-error';
import { askWorkflow } from './ask-workflow';
import { findOpenListSync } from './open-runs';
import { requireList, type Actor, type Operations } from './operations';

/**
 * Approves or rejects a list sync the guard holds, as an Update: the workflow answers what it did, or
 * refuses (not held, already decided, a decision meant for an earlier run) and nothing changes.
 */
export async function decideHeld(ops: Operations, listKey: string, approve: boolean, actor: Actor, hold?: number): Promise<OperatorAnswer> {
  requireList(ops.client, listKey);
  const sync = await findOpenListSync(ops.temporal, ops.client.key, listKey);
  if (!sync) throw new NotFoundError('open list sync of', listKey, 'nothing is waiting for a decision');
  // Bound to the run found: if it closed and another started meanwhile, the decision is not carried over.
  // And to the hold named, if any: a run held again after exporting again refuses a decision for an earlier hold.
  const message = { by: actor.by, reason: actor.reason, runId: sync.runId, ...(hold === undefined ? {} : { hold }) };
  return askWorkflow(ops.temporal, sync.handle, approve ? approveUpdate : rejectUpdate, message);
}
