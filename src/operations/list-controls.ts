import { pauseListSignal, resumeListSignal, statusQuery } from '../../workflows/daily-sync';
import { pauseSignal, resumeSignal } from '../../workflows/list-sync';
import { findOpenDailyRun, findOpenListSync } from './open-runs';
import { nowIso, requireList, type Actor, type Operations } from './operations';

export interface ControlOutcome {
  listKey: string;
  paused: boolean;
  /** Workflow ids that were signalled (the open daily run, the open list sync). */
  signalled: string[];
}

/**
 * Pauses or resumes a list: the persistent control in the state store (daily runs skip a paused
 * list until it is resumed), the audit record, and the open workflows if any. A list sync that is
 * a child of the open daily run is signalled through the daily run, so it gets one message.
 */
export async function setListPaused(ops: Operations, listKey: string, paused: boolean, actor: Actor): Promise<ControlOutcome> {
  requireList(ops.client, listKey);
  const clientKey = ops.client.key;
  const at = nowIso(ops);
  await ops.store.controls.setList({ client: clientKey, listKey, paused, by: actor.by, reason: actor.reason ?? '', at });
  const signalled: string[] = [];
  const daily = await findOpenDailyRun(ops.temporal, clientKey);
  let childOfDaily = false;
  if (daily) {
    const status = await daily.query(statusQuery);
    childOfDaily = status.lists[listKey]?.state === 'running';
    await daily.signal(paused ? pauseListSignal : resumeListSignal, { listKey, by: actor.by, reason: actor.reason });
    signalled.push(daily.workflowId);
  }
  const sync = await findOpenListSync(ops.temporal, clientKey, listKey);
  if (sync && !childOfDaily) {
    await sync.signal(paused ? pauseSignal : resumeSignal, { by: actor.by, reason: actor.reason });
    signalled.push(sync.workflowId);
  }
  await ops.store.controls.recordAction({
    actor: actor.by,
    action: paused ? 'pause' : 'resume',
    client: clientKey,
    listKey,
    reason: actor.reason ?? '',
    at,
    details: { via: 'cli', signalled },
  });
  return { listKey, paused, signalled };
}
