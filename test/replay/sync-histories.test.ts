import { readdirSync } from 'node:fs';
import { HISTORIES_DIR, loadHistory, replayHistory } from '../helpers/replay';

// Recorded by scripts/record-histories.ts: a daily run from before the response-ingestion patch and one
// after it, one from before the prune-state-store-in-daily-run patch, one after the daily-run-own-artefacts patch, one
// with a re-run accepted by Update after its lists (lanes-open-until-done), a list sync from before the
// sent-ledger-after-verify patch, a normal list sync, a run held by the guard and approved (by signal, and
// by Update; and one approved late, exported again before the clear; a reconcile approved late, exported and diffed again), a run whose refill resumed after a failed batch, and one stopped by its pre-flight check. A change to workflow code that
// breaks any of them needs patched() or a new workflow type.
const files = readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json') && name !== 'smoke.json');

describe('recorded sync histories', () => {
  it('includes the normal, guarded and resumed runs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'daily-sync-normal.json',
        'daily-sync-before-prune-patch.json',
        'daily-sync-with-responses.json',
        'daily-sync-own-artefacts.json',
        'list-sync-before-ledger-patch.json',
        'list-sync-normal.json',
        'list-sync-guarded.json',
        'list-sync-resumed.json',
        'daily-sync-late-rerun.json',
        'list-sync-guarded-update.json',
        'daily-sync-children-cancelled.json',
        'list-sync-cancelled-after-clear.json',
      ]),
    );
  });

  const activities = (file: string): string[] =>
    loadHistory(file).events.flatMap((e: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType.name] : [],
    );

  it('covers both sides of the prune-state-store-in-daily-run patch', () => {
    expect(activities('daily-sync-before-prune-patch.json')).not.toContain('pruneStateStore');
    expect(activities('daily-sync-with-responses.json').at(-1)).toBe('pruneStateStore');
  });

  it('covers both sides of the daily-run-own-artefacts patch', () => {
    const feedbackRunIds = (file: string): string[] =>
      loadHistory(file).events.flatMap(
        (e: { activityTaskScheduledEventAttributes?: { activityType: { name: string }; input?: { payloads?: { data?: string }[] } } }) => {
          const scheduled = e.activityTaskScheduledEventAttributes;
          if (scheduled?.activityType.name !== 'importFeedback') return [];
          const data = scheduled.input?.payloads?.[0]?.data ?? '';
          return [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { runId: string }).runId];
        },
      );
    expect(feedbackRunIds('daily-sync-with-responses.json')).toEqual([expect.stringMatching(/^daily:[^:]+$/)]);
    expect(feedbackRunIds('daily-sync-own-artefacts.json')).toEqual([expect.stringMatching(/^daily:[^:]+:[0-9a-f-]{36}$/)]);
  });

  const eventTypes = (file: string): string[] => loadHistory(file).events.map((e: { eventType: string }) => e.eventType);
  const children = (file: string): string[] =>
    loadHistory(file).events.flatMap((e: { startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId: string } }) =>
      e.startChildWorkflowExecutionInitiatedEventAttributes
        ? [e.startChildWorkflowExecutionInitiatedEventAttributes.workflowId.replace(/:[^:]*$/, '')]
        : [],
    );

  it('covers both sides of the lanes-open-until-done patch: a re-run accepted after the lists runs', () => {
    expect(children('daily-sync-own-artefacts.json').filter((id) => id.startsWith('list-sync:'))).toHaveLength(2);
    const late = children('daily-sync-late-rerun.json');
    expect(late.map((id) => id.split(':')[0])).toEqual(['list-sync', 'list-sync', 'responses', 'list-sync']);
    expect(eventTypes('daily-sync-late-rerun.json')).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED');
  });

  it('covers a list sync cancelled during its refill that finishes ready (finish-after-clear)', () => {
    const types = eventTypes('list-sync-cancelled-after-clear.json');
    expect(types).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED');
    expect(types.at(-1)).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    expect(activities('list-sync-cancelled-after-clear.json')).toEqual(
      expect.arrayContaining(['clearList', 'refillList', 'verifyList', 'recordSentLedger']),
    );
  });

  it('covers the drift-before-clear patch: the count between the guard and the clear', () => {
    const steps = activities('list-sync-drift.json');
    expect(steps.indexOf('measureDrift')).toBeGreaterThan(steps.indexOf('evaluateGuard'));
    expect(steps.indexOf('measureDrift')).toBeLessThan(steps.indexOf('clearList'));
    expect(activities('list-sync-restored.json')).not.toContain('measureDrift');
  });

  it('covers the reconcile-strategy patch: the diff before the guard, removals before additions, no clear', () => {
    const steps = activities('list-sync-reconcile.json');
    expect(steps).not.toContain('clearList');
    expect(steps.indexOf('diffLiveList')).toBeLessThan(steps.indexOf('evaluateGuard'));
    expect(steps.indexOf('removeLeavers')).toBeGreaterThan(steps.indexOf('measureDrift'));
    expect(steps.indexOf('verifyReconcile')).toBeGreaterThan(steps.indexOf('removeLeavers'));
    expect(activities('list-sync-drift.json')).not.toContain('diffLiveList');
  });

  it('covers both sides of the reconcile-read-beside-export patch: one activity exports and diffs', () => {
    const steps = activities('list-sync-reconcile-beside-export.json');
    expect(steps).not.toContain('exportList');
    expect(steps).not.toContain('diffLiveList');
    expect(steps.indexOf('exportAndDiffLiveList')).toBeLessThan(steps.indexOf('evaluateGuard'));
    expect(steps).not.toContain('clearList');
    expect(steps.indexOf('verifyReconcile')).toBeGreaterThan(steps.indexOf('removeLeavers'));
    expect(activities('list-sync-reconcile.json')).toEqual(expect.arrayContaining(['exportList', 'diffLiveList']));
    expect(activities('list-sync-reconcile.json')).not.toContain('exportAndDiffLiveList');
  });

  it('covers the fresh-export-after-late-approval patch: exported and guarded again between the approval and the clear', () => {
    const late = activities('list-sync-guarded-late-approval.json');
    expect(late.filter((a) => a === 'exportList')).toHaveLength(2);
    expect(late.filter((a) => a === 'evaluateGuard')).toHaveLength(2);
    expect(late.lastIndexOf('exportList')).toBeLessThan(late.indexOf('clearList'));
    expect(late.lastIndexOf('evaluateGuard')).toBeLessThan(late.indexOf('clearList'));
    expect(activities('list-sync-guarded.json').filter((a) => a === 'exportList')).toHaveLength(1);
  });

  it('covers the reconcile-fresh-export-after-late-approval patch: exported, diffed and guarded again before any change', () => {
    const late = activities('list-sync-reconcile-late-approval.json');
    expect(late.filter((a) => a === 'exportAndDiffLiveList')).toHaveLength(2);
    expect(late.filter((a) => a === 'evaluateGuard')).toHaveLength(2);
    expect(late).not.toContain('clearList');
    // The list's first run: no leavers, every joiner added after the second guard.
    expect(late.lastIndexOf('evaluateGuard')).toBeLessThan(late.indexOf('refillList'));
    expect(activities('list-sync-reconcile-beside-export.json').filter((a) => a === 'exportAndDiffLiveList')).toHaveLength(1);
  });

  it('covers both sides of the reexport-after-long-pause patch: a pause longer than reexportAfter exports and guards again', () => {
    // Recorded before the patch: after the pause between refill chunks the stale snapshot's last chunk was sent.
    const before = activities('list-sync-paused-long-before-pause-patch.json');
    const after = activities('list-sync-paused-long.json');
    const resumed = (steps: string[]) => steps.slice(steps.lastIndexOf('recordOperatorAction') + 1, steps.indexOf('verifyList'));
    expect(resumed(before)).toEqual(['refillList']);
    expect(resumed(after)).toEqual(['exportList', 'evaluateGuard', 'refillList']);
    const reconcile = activities('list-sync-reconcile-paused-long.json');
    const beforeChange = reconcile.slice(reconcile.lastIndexOf('recordOperatorAction') + 1, reconcile.indexOf('measureDrift'));
    expect(beforeChange).toEqual(['exportAndDiffLiveList', 'evaluateGuard']);
  });

  it('holds an approve by Update beside the approve by signal', () => {
    expect(eventTypes('list-sync-guarded-update.json')).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    expect(eventTypes('list-sync-guarded.json')).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');
  });

  it('covers both sides of the sent-ledger-after-verify patch', () => {
    expect(activities('list-sync-before-ledger-patch.json')).not.toContain('recordSentLedger');
    expect(activities('list-sync-normal.json')).toEqual(expect.arrayContaining(['refillList', 'verifyList', 'recordSentLedger']));
  });

  it('covers both sides of the restore-last-good-after-clear patch: a refill refused after the clear', () => {
    expect(activities('list-sync-failed-before-restore-patch.json')).not.toContain('prepareRestore');
    expect(activities('list-sync-failed-before-restore-patch.json')).toContain('clearList');
    expect(activities('list-sync-restored.json').slice(-8)).toEqual([
      'prepareRestore',
      'clearList',
      'refillList',
      'verifyList',
      'recordSentLedger',
      'finishRun',
      'recordStep',
      'finishRun',
    ]);
  });

  it('covers both sides of the preflight-before-clear patch', () => {
    expect(activities('list-sync-normal.json')).not.toContain('preflightList');
    expect(activities('list-sync-preflight-failed.json')).toEqual([
      'startRun',
      'readListControl',
      'checkFeedbackFreshness',
      'importFeedback',
      'preflightList',
      'finishRun',
    ]);
  });

  it('holds a readyBy check that found a list late, looked again after a timer and sent the recovery', () => {
    const steps = activities('ready-by-late-recovered.json');
    expect(steps.slice(0, 2)).toEqual(['checkReadyBy', 'notifyIncident']);
    expect(steps.slice(-2)).toEqual(['checkReadyBy', 'notifyIncident']);
    expect(eventTypes('ready-by-late-recovered.json')).toContain('EVENT_TYPE_TIMER_FIRED');
  });

  it.each(files)('replays %s against today’s workflow code', async (file) => {
    await expect(replayHistory(file)).resolves.toBeUndefined();
  });
});
