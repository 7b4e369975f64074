import { driftText } from '../sync/drift';
import type { ListSyncProgress } from '../../workflows/list-sync-state';
import type { Unanswered } from '../operations/inspect-workflow';
import { someRunUnanswered, type ListStatusLine, type StatusSnapshot } from '../operations/status-snapshot';
import { fieldLine, shownField, shownText } from './terminal-text';

const BAR_WIDTH = 24;

/**
 * The `status` screen: the open daily run, then one line (with a progress bar) per list. What the
 * workflows and the store answer (ids, phases, who paused and why, notes, errors) is shown as fields:
 * one line each, bounded (terminal-text.ts).
 */
export function renderStatus(snapshot: StatusSnapshot): string[] {
  const lines = [fieldLine`campaign-sync status: client ${snapshot.client} at ${snapshot.at.slice(0, 19).replace('T', ' ')} UTC`];
  const daily = snapshot.daily;
  if (daily) {
    const fb = daily.status.feedback;
    lines.push(
      `${fieldLine`Daily run ${daily.workflowId}: phase ${daily.status.phase}`}${fb ? `; feedback ${fb.bounces} bounces, ${fb.unsubscribes} unsubscribes, ${fb.applied} applied in the CRM, ${fb.handed ?? 0} handed to the CRM` : ''}`,
    );
  } else if (snapshot.dailyUnanswered) {
    const u = snapshot.dailyUnanswered;
    lines.push(
      fieldLine`Daily run ${u.workflowId}: NO WORKER IS ANSWERING for ${u.silentForSeconds} s; last known phase ${u.lastKnownPhase ?? 'unknown'}`,
    );
  } else {
    lines.push('No daily run open.');
  }
  if (snapshot.otherDailyRuns.length > 0)
    lines.push(`Also open (older; signals go to the newest): ${snapshot.otherDailyRuns.map(shownField).join(', ')}`);
  const width = Math.max(...snapshot.lists.map((l) => shownField(l.listKey).length), 4);
  for (const line of snapshot.lists) lines.push(renderList(line, snapshot, width));
  if (someRunUnanswered(snapshot)) {
    lines.push(
      'No worker is answering: the open runs wait (nothing is lost) until a worker polls task queue campaign-sync again; start one (npm run worker).',
    );
  }
  return lines;
}

function renderList(line: ListStatusLine, snapshot: StatusSnapshot, width: number): string {
  const name = shownField(line.listKey).padEnd(width);
  const retrying = (line.retrying ?? []).map(
    (r) => `${fieldLine`retrying ${r.activity} (attempt ${r.attempt}`}${r.lastError ? `, last error: ${shownText(r.lastError)}` : ''})`,
  );
  if (line.open) return [`${name}  ${renderProgress(line.open.progress)}`, ...retrying].join('  ');
  if (line.unanswered) return [`${name}  ${renderUnanswered(line.unanswered)}`, ...retrying].join('  ');
  const inDaily = snapshot.daily?.status.lists[line.listKey];
  if (inDaily) {
    const verified =
      inDaily.verifiedCount === undefined
        ? []
        : [
            `verified ${inDaily.verifiedCount}`,
            inDaily.strategy === 'reconcile'
              ? 'strategy reconcile, no clear (window 0 s)'
              : `clear-to-ready ${inDaily.windowSeconds?.toFixed(1)} s`,
          ];
    const rejected = inDaily.rejected ? [`${inDaily.rejected} rejected by Optimizely`] : [];
    const drift = driftText(inDaily.drift);
    const details = [...verified, ...rejected, ...(drift ? [drift] : []), ...(inDaily.note ? [shownText(inDaily.note)] : [])];
    const state = shownField(inDaily.state);
    return `${name}  ${details.length ? `${state.padEnd(10)}  ${details.join('; ')}` : state}`;
  }
  if (line.afterClear) return `${name}  ${afterClearLine(line.afterClear)}`;
  if (line.control?.paused)
    return `${name}  ${'paused'.padEnd(10)} ${fieldLine`by ${line.control.by} since ${line.control.at.slice(0, 16)}`}: ${shownText(line.control.reason)}`;
  return `${name}  idle`;
}

/** `refilling (last known)  LIST INCOMPLETE (a clear has happened)  no worker is answering for 47 s` */
export function renderUnanswered(u: Unanswered): string {
  const parts = [fieldLine`${u.lastKnownPhase ?? 'unknown'} (last known)`];
  if (u.listIncomplete) parts.push('LIST INCOMPLETE (a clear has happened, no verified refill)');
  parts.push(`no worker is answering for ${u.silentForSeconds} s`);
  return parts.join('  ');
}

/** `refilling  [#########...............]  38%  3/8 batches  sent 3000  LIST INCOMPLETE` */
export function renderProgress(progress: ListSyncProgress): string {
  const parts = [shownField(progress.phase).padEnd(10), bar(fraction(progress))];
  if (progress.batchesTotal > 0) parts.push(`${progress.batchesDone}/${progress.batchesTotal} batches`, `sent ${progress.sent}`);
  else if (progress.exported !== undefined) parts.push(`exported ${progress.exported}`);
  if (progress.rejected) parts.push(`rejected ${progress.rejected}`);
  if (progress.phase === 'held')
    parts.push(`waiting for approve or reject${heldAgain(progress.hold)}: ${progress.guardReasons.map(shownText).join('; ') || 'guard'}`);
  if (progress.paused)
    parts.push(`${fieldLine`PAUSED by ${progress.pausedBy ?? '?'}`}: ${shownText(progress.pauseReason ?? '')} (${pauseState(progress)})`);
  if (progress.listIncomplete) parts.push('LIST INCOMPLETE (cleared, not yet refilled)');
  return parts.join('  ');
}

/** Whether a paused run stands still yet: the step before its safe point may still be running. */
function pauseState(progress: ListSyncProgress): string {
  return progress.stoppedAt ? fieldLine`stopped since ${progress.stoppedAt}` : 'not stopped yet: running on to the next safe point';
}

function fraction(progress: ListSyncProgress): number {
  if (progress.phase === 'ready' || progress.phase === 'verifying' || progress.phase === 'recording') return 1;
  return progress.batchesTotal > 0 ? progress.batchesDone / progress.batchesTotal : 0;
}

function bar(done: number): string {
  const filled = Math.round(done * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(done * 100)).padStart(3)}%`;
}

/** A list whose last sync failed after its clear: restored (never ready) or left incomplete. */
function afterClearLine(outcome: NonNullable<ListStatusLine['afterClear']>): string {
  const when = shownField((outcome.endedAt ?? '').slice(0, 16).replace('T', ' '));
  const { restore } = outcome;
  if (outcome.status === 'restored') {
    return `${'RESTORED'.padEnd(10)}  run ${shownField(outcome.runId)} failed after its clear at ${when}; the list holds the last good run ${shownField(restore.fromRunId)}'s recipients minus the suppressed since, not today's list`;
  }
  return `${'FAILED'.padEnd(10)}  LIST INCOMPLETE since ${when}: run ${shownField(outcome.runId)} failed after its clear and was not restored: ${shownText(restore.reason ?? '?')}`;
}

/** A run held again after exporting again: the hold an approval must name (workflows/list-sync-operator.ts, holdProblem). */
function heldAgain(hold: number | undefined): string {
  return hold !== undefined && hold > 1 ? ` (hold ${hold}, held again after exporting again: approve --hold ${hold})` : '';
}
