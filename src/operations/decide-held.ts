import { approveSignal, progressQuery, rejectSignal } from '../../workflows/list-sync';
import { ListBusyError } from '../errors/list-busy-error';
import { NotFoundError } from '../errors/not-found-error';
import { findOpenListSync } from './open-runs';
import { requireList, type Actor, type Operations } from './operations';

/**
 * Approves or rejects a list sync the guard holds. The workflow records the decision and who made
 * it; a list that is not held is refused here, because the workflow would ignore the signal.
 */
export async function decideHeld(ops: Operations, listKey: string, approve: boolean, actor: Actor): Promise<{ workflowId: string }> {
  requireList(ops.client, listKey);
  const sync = await findOpenListSync(ops.temporal, ops.client.key, listKey);
  if (!sync) throw new NotFoundError('open list sync of', listKey, 'nothing is waiting for a decision');
  const progress = await sync.query(progressQuery);
  if (progress.phase !== 'held') throw new ListBusyError(listKey, `not held for a decision (phase ${progress.phase})`);
  await sync.signal(approve ? approveSignal : rejectSignal, { by: actor.by, reason: actor.reason });
  return { workflowId: sync.workflowId };
}
