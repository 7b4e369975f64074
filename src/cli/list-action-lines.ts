import type { ListSyncWorkflowOutput } from '../../workflows/list-sync';
import type { ControlOutcome } from '../operations/list-controls';
import type { Actor } from '../operations/operations';
import type { RerunOutcome } from '../operations/rerun-list';
import { answerLines } from './operator-actor';
import { fieldLine, shownText } from './terminal-text';

// What `run`, `pause`, `resume` and `rerun` print without --json: list keys from the configuration,
// workflow ids, who acted and why, and the workflow's answer.

/** `run`: the workflow started, and whether the CLI waits for it. */
export function startedLine(workflowId: string, waiting: boolean): string {
  const started = fieldLine`Started ${workflowId}`;
  return waiting ? `${started}; waiting for it to finish...` : `${started}; follow it with: campaign-sync status --watch`;
}

/** `run --list <key> --wait`: how the list sync ended. */
export function listRunLines(result: ListSyncWorkflowOutput): string[] {
  const { progress } = result;
  return [
    `${fieldLine`List ${result.listKey}: ${result.status}`}${result.decidedBy ? fieldLine` (decided by ${result.decidedBy})` : ''}`,
    `  exported ${progress.exported ?? 0}; sent ${progress.sent}; verified ${result.verifiedCount ?? '-'}`,
  ];
}

/** `pause`: who paused the list and why, and the open run's answer. */
export function pausedLines(listKey: string, actor: Actor, outcome: ControlOutcome): string[] {
  return [
    `${fieldLine`List ${listKey} paused by ${actor.by}`}: ${shownText(actor.reason ?? '')} ${fieldLine`(daily runs skip it until: campaign-sync resume ${listKey})`}`,
    ...answerLines(outcome.answer, 'No open run holds it.'),
  ];
}

/** `resume`: who resumed the list, and the open run's answer. */
export function resumedLines(listKey: string, actor: Actor, outcome: ControlOutcome): string[] {
  return [
    fieldLine`List ${listKey} resumed by ${actor.by}`,
    ...answerLines(outcome.answer, 'No open run holds it; the next daily run syncs it.'),
  ];
}

/** `rerun`: the open daily run's answer, or the list sync started on its own. */
export function rerunLines(listKey: string, outcome: RerunOutcome): string[] {
  return [
    outcome.answer
      ? `${fieldLine`Re-run of ${listKey}: ${outcome.workflowId}`} answered: ${shownText(outcome.answer.did)}`
      : fieldLine`List sync ${outcome.workflowId} started on its own`,
    ...(outcome.pausedControl ? [fieldLine`Note: ${listKey} is paused; it is skipped until: campaign-sync resume ${listKey}`] : []),
  ];
}
