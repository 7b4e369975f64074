import { renderProgress, renderStatus } from '../../../src/cli/render-status';
import type { StatusSnapshot } from '../../../src/operations/status-snapshot';
import { initialProgress } from '../../../workflows/list-sync-state';

describe('renderProgress', () => {
  it('draws refill batches as a bar and warns while the list is incomplete', () => {
    const progress = {
      ...initialProgress('demo', 'newsletter'),
      phase: 'refilling' as const,
      listIncomplete: true,
      batchesDone: 3,
      batchesTotal: 8,
      sent: 3000,
    };
    expect(renderProgress(progress)).toBe(
      'refilling   [#########...............]  38%  3/8 batches  sent 3000  LIST INCOMPLETE (cleared, not yet refilled)',
    );
  });

  it("says a held list waits for a decision, with the guard's reasons", () => {
    const progress = { ...initialProgress('demo', 'offers'), phase: 'held' as const, exported: 40, guardReasons: ['export shrank by 60%'] };
    expect(renderProgress(progress)).toBe(
      'held        [........................]   0%  exported 40  waiting for approve or reject: export shrank by 60%',
    );
  });

  it('shows who paused a running sync and why', () => {
    const progress = {
      ...initialProgress('demo', 'offers'),
      phase: 'exporting' as const,
      paused: true,
      pausedBy: 'alice',
      pauseReason: 'report fix',
    };
    expect(renderProgress(progress)).toContain('PAUSED by alice: report fix (not stopped yet: running on to the next safe point)');
  });

  it('shows when a paused sync stopped at its safe point', () => {
    const progress = {
      ...initialProgress('demo', 'offers'),
      phase: 'guard' as const,
      paused: true,
      pausedBy: 'alice',
      pauseReason: 'report fix',
      stoppedAt: '2026-11-27T02:31:05.000Z',
    };
    expect(renderProgress(progress)).toContain('PAUSED by alice: report fix (stopped since 2026-11-27T02:31:05.000Z)');
  });
});

describe('renderStatus', () => {
  it('lists the open daily run, open syncs, daily states and paused controls', () => {
    const snapshot: StatusSnapshot = {
      client: 'demo',
      at: '2026-11-27T02:31:05.000Z',
      daily: {
        workflowId: 'daily-sync:demo:x',
        status: {
          client: 'demo',
          phase: 'lists',
          lists: { a: { state: 'running', workflowId: 'list-sync:demo:a' }, b: { state: 'ready', workflowId: 'list-sync:demo:b' } },
        },
      },
      otherDailyRuns: ['daily-sync:demo:older'],
      lists: [
        { listKey: 'a', open: { workflowId: 'list-sync:demo:a', progress: { ...initialProgress('demo', 'a'), phase: 'exporting' } } },
        { listKey: 'b' },
        {
          listKey: 'c',
          control: { client: 'demo', listKey: 'c', paused: true, by: 'bob', reason: 'wrong segment', at: '2026-11-26T10:00:00.000Z' },
        },
      ],
    };
    expect(renderStatus(snapshot)).toEqual([
      'campaign-sync status: client demo at 2026-11-27 02:31:05 UTC',
      'Daily run daily-sync:demo:x: phase lists',
      'Also open (older; signals go to the newest): daily-sync:demo:older',
      'a     exporting   [........................]   0%',
      'b     ready',
      'c     paused     by bob since 2026-11-26T10:00: wrong segment',
    ]);
  });

  it("shows a list's drift before the clear beside its verified count", () => {
    const drift = { liveCount: 1004, expectedCount: 1000, added: 4, removed: 0 };
    const snapshot: StatusSnapshot = {
      client: 'demo',
      at: '2026-11-27T02:31:05.000Z',
      daily: {
        workflowId: 'daily-sync:demo:x',
        status: {
          client: 'demo',
          phase: 'done',
          lists: { b: { state: 'ready', workflowId: 'list-sync:demo:b', verifiedCount: 1001, windowSeconds: 2, drift } },
        },
      },
      otherDailyRuns: [],
      lists: [{ listKey: 'b' }],
    };
    expect(renderStatus(snapshot)).toContain(
      'b     ready       verified 1001; clear-to-ready 2.0 s; DRIFT: live list 1004 before the clear, the last run left 1000 (net 4 added by someone else; see campaign-sync plan)',
    );
  });

  it('says no worker is answering, with the last known phases, LIST INCOMPLETE and what is being retried', () => {
    const snapshot: StatusSnapshot = {
      client: 'demo',
      at: '2026-11-27T02:31:05.000Z',
      dailyUnanswered: {
        workflowId: 'daily-sync:demo:x',
        lastKnownPhase: 'lists',
        listIncomplete: false,
        silentForSeconds: 47,
        error: 'deadline exceeded',
      },
      otherDailyRuns: [],
      lists: [
        {
          listKey: 'a',
          unanswered: {
            workflowId: 'list-sync:demo:a',
            lastKnownPhase: 'refilling',
            listIncomplete: true,
            silentForSeconds: 45,
            error: 'deadline exceeded',
          },
          retrying: [{ activity: 'refillList', attempt: 3, lastError: 'Optimizely answered 503' }],
        },
        {
          listKey: 'b',
          unanswered: {
            workflowId: 'list-sync:demo:b',
            lastKnownPhase: 'exporting',
            listIncomplete: false,
            silentForSeconds: 45,
            error: 'x',
          },
        },
      ],
    };
    expect(renderStatus(snapshot)).toEqual([
      'campaign-sync status: client demo at 2026-11-27 02:31:05 UTC',
      'Daily run daily-sync:demo:x: NO WORKER IS ANSWERING for 47 s; last known phase lists',
      'a     refilling (last known)  LIST INCOMPLETE (a clear has happened, no verified refill)  no worker is answering for 45 s  retrying refillList (attempt 3, last error: Optimizely answered 503)',
      'b     exporting (last known)  no worker is answering for 45 s',
      'No worker is answering: the open runs wait (nothing is lost) until a worker polls task queue campaign-sync again; start one (npm run worker).',
    ]);
  });
});

describe('renderStatus after a list sync failed after its clear', () => {
  const snapshot = (afterClear: StatusSnapshot['lists'][number]['afterClear']): StatusSnapshot => ({
    client: 'demo',
    at: '2026-11-30T04:00:00.000Z',
    otherDailyRuns: [],
    lists: [{ listKey: 'newsletter', afterClear }],
  });

  it("says a restored list holds the last good list, not today's", () => {
    const lines = renderStatus(
      snapshot({
        runId: 'r2',
        status: 'restored',
        endedAt: '2026-11-30T03:10:00.000Z',
        restore: { fromRunId: 'r1', outcome: 'completed' },
      }),
    );
    expect(lines.at(-1)).toBe(
      "newsletter  RESTORED    run r2 failed after its clear at 2026-11-30 03:10; the list holds the last good run r1's recipients minus the suppressed since, not today's list",
    );
  });

  it('says loudly that a list nothing could be restored to is incomplete, and why', () => {
    const lines = renderStatus(
      snapshot({
        runId: 'r2',
        status: 'failed',
        endedAt: '2026-11-30T03:10:00.000Z',
        restore: { reason: 'list newsletter has no last good run to restore', outcome: 'failed' },
      }),
    );
    expect(lines.at(-1)).toBe(
      'newsletter  FAILED      LIST INCOMPLETE since 2026-11-30 03:10: run r2 failed after its clear and was not restored: list newsletter has no last good run to restore',
    );
  });
});
