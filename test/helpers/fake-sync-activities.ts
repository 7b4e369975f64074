import { ApplicationFailure } from '@temporalio/common';
import type { IncidentNotice } from '../../src/alerts/incident';
import type { ResponseActivities, SyncActivities } from '../../activities/activity-interfaces';
import type { OperatorActionInput, PlannedList } from '../../activities/bookkeeping-types';
import type { RefillListInput } from '../../activities/campaign-list-types';
import type { GuardVerdict } from '../../activities/export-types';
import { emptyCounts } from '../../src/responses/response-counts';
import type { ListDrift } from '../../src/sync/drift';

export interface FakeSyncOptions {
  lists?: PlannedList[];
  exportedCount?: number;
  guard?: Partial<GuardVerdict>;
  listParallelism?: number;
  /** Milliseconds each refill chunk takes, so tests can signal while it runs. */
  refillDelayMs?: number;
  /** Makes the refill chunk starting at this batch fail permanently. */
  refillFailsAt?: number;
  /** Makes preflightList fail permanently with these problems. */
  preflightProblems?: string[];
  /** Milliseconds each response window takes, so tests can act while the daily run is past its lists. */
  responsesDelayMs?: number;
  /** What prepareRestore answers: the last good list's size after suppressions, or why there is none. */
  restore?: { count: number } | { reason: string };
  /** Makes pruneStateStore fail with this message. */
  pruneFails?: string;
  /** Makes every notifyIncident attempt fail (a channel that is down). */
  notifyFails?: boolean;
  /** Milliseconds each notifyIncident takes, so tests can signal while a notice is on its way. */
  notifyDelayMs?: number;
  /** What importFeedback reports as quarantined dropped files. */
  quarantined?: number;
  /** What measureDrift answers (default: no drift against the fake's own list). */
  drift?: ListDrift;
  /** Makes measureDrift fail permanently. */
  driftFails?: boolean;
  /** Milliseconds measureDrift takes, so tests can act while the run is past its safe point before the clear. */
  driftDelayMs?: number;
}

/** In-memory activities for workflow tests: they count calls and compute results from inputs. */
export function fakeSyncActivities(options: FakeSyncOptions = {}) {
  const calls: string[] = [];
  const preflights: string[] = [];
  const notices: IncidentNotice[] = [];
  let noticeAttempts = 0;
  const drifts: string[] = [];
  const refills: RefillListInput[] = [];
  const operatorActions: OperatorActionInput[] = [];
  const finished: Record<string, string> = {};
  const inList = new Map<string, number>();
  let activeRefills = 0;
  let maxActiveRefills = 0;
  const count = options.exportedCount ?? 2500;
  const activities: SyncActivities & ResponseActivities = {
    planDailyRun: async () => ({
      lists: options.lists ?? [{ listKey: 'newsletter', paused: false }],
      listParallelism: options.listParallelism ?? 2,
    }),
    checkFeedbackFreshness: async () => ({ fresh: false }),
    importFeedback: async () => {
      calls.push('importFeedback');
      const dropped = options.quarantined
        ? {
            dropped: {
              processed: [],
              duplicates: [],
              quarantined: Array.from({ length: options.quarantined }, (_, i) => ({ name: `f${i}.csv`, reason: 'not UTF-8' })),
            },
          }
        : {};
      return {
        bounces: 1,
        unsubscribes: 2,
        applied: 3,
        alreadyApplied: 0,
        unknownRecipient: 0,
        unknownEntity: 0,
        invalidRows: 0,
        watermark: '2026-11-27T00:00:00Z',
        files: [],
        ...dropped,
      } as Awaited<ReturnType<SyncActivities['importFeedback']>>;
    },
    readListControl: async (ref) => ({ listKey: ref.listKey, paused: false }),
    exportList: async (ref) => {
      calls.push(`export:${ref.listKey}`);
      return { snapshotRef: `snap-${ref.runId}`, count, checksum: 'sha', rowsRead: count + 10, excluded: { invalid_email: 10 } };
    },
    preflightList: async (ref) => {
      // Not in `calls`: the tests of the other steps compare the call order without it.
      preflights.push(ref.listKey);
      if (options.preflightProblems) throw ApplicationFailure.nonRetryable(options.preflightProblems.join('; '), 'ListPreflightError');
      return { fieldsChecked: 5 };
    },
    measureDrift: async (ref) => {
      // Not in `calls`, like the pre-flight: the other steps' tests compare the call order without it.
      drifts.push(ref.listKey);
      await new Promise((r) => setTimeout(r, options.driftDelayMs ?? 0));
      if (options.driftFails) throw ApplicationFailure.nonRetryable('getCount broke for the test', 'DriftFailedForTest');
      return options.drift ?? { liveCount: inList.get(ref.listKey) ?? 0, added: 0, removed: 0 };
    },
    evaluateGuard: async () => ({ hold: false, reasons: [], approvalTimeoutMs: 60_000, ...options.guard }),
    clearList: async (ref) => {
      calls.push(`clear:${ref.listKey}`);
      inList.set(ref.listKey, 0);
      return { clearedAt: new Date().toISOString() };
    },
    refillList: async (input) => {
      refills.push(input);
      if (input.firstBatch === options.refillFailsAt && !input.runId.endsWith(':restore'))
        throw ApplicationFailure.nonRetryable('refill broke for the test', 'RefillFailedForTest');
      activeRefills += 1;
      maxActiveRefills = Math.max(maxActiveRefills, activeRefills);
      await new Promise((r) => setTimeout(r, options.refillDelayMs ?? 0));
      activeRefills -= 1;
      const sent = Math.min(input.endBatch * 1000, input.count) - input.firstBatch * 1000;
      inList.set(input.listKey, (inList.get(input.listKey) ?? 0) + sent);
      return { batchesDone: input.endBatch - input.firstBatch, sent, resultCodes: { '0': sent } };
    },
    pruneStateStore: async () => {
      calls.push('pruneStateStore');
      if (options.pruneFails) throw ApplicationFailure.nonRetryable(options.pruneFails, 'PruneFailedForTest');
      return {
        snapshotsBefore: '2026-11-20T00:00:00.000Z',
        runsBefore: '2026-08-29T00:00:00.000Z',
        snapshots: 0,
        runs: 0,
        ledgerEntries: 0,
      };
    },
    prepareRestore: async (input) => {
      calls.push('prepareRestore');
      const restore = options.restore ?? { count: 2000 };
      if ('reason' in restore) return { restorable: false, reason: restore.reason };
      const plan = {
        snapshotRef: `snap-${input.restoreRunId}`,
        count: restore.count,
        checksum: 'sha',
        fromRunId: 'good-run',
        fromStartedAt: '2026-11-29T02:00:00.000Z',
      };
      return { restorable: true, ...plan, suppressed: { unsubscribed: 3 } };
    },
    recordSentLedger: async () => {
      calls.push('recordSentLedger');
      return { batches: 0, entries: 0, newEntries: 0 };
    },
    // Strategy reconcile runs on the real stack (test/integration/reconcile/); the fakes serve refresh.
    diffLiveList: notFaked('diffLiveList'),
    exportAndDiffLiveList: notFaked('exportAndDiffLiveList'),
    removeLeavers: notFaked('removeLeavers'),
    updateChanged: notFaked('updateChanged'),
    verifyReconcile: notFaked('verifyReconcile'),
    verifyList: async (input) => {
      const actual = inList.get(input.listKey) ?? 0;
      return { count: actual, matches: actual === input.expected, verifiedAt: new Date().toISOString() };
    },
    startRun: async () => undefined,
    finishRun: async (input) => {
      finished[input.runId] = input.status;
      return {};
    },
    recordStep: async () => undefined,
    recordOperatorAction: async (input) => {
      operatorActions.push(input);
    },
    planResponseIngest: async () => ({ since: 0, until: 1, windows: [{ since: 0, until: 1 }], lagging: false, lostBeforeMs: 0 }),
    ingestResponseWindow: async () => {
      calls.push('responses');
      await new Promise((r) => setTimeout(r, options.responsesDelayMs ?? 0));
      return { counts: emptyCounts(), watermark: '2026-11-27T00:00:00.000Z' };
    },
    finishResponseIngest: async () => undefined,
    notifyIncident: async (notice) => {
      noticeAttempts += 1;
      await new Promise((r) => setTimeout(r, options.notifyDelayMs ?? 0));
      if (options.notifyFails) throw new Error('channel down for the test');
      notices.push(notice);
      return { sent: 1 };
    },
  };
  return {
    activities,
    calls,
    preflights,
    drifts,
    refills,
    operatorActions,
    finished,
    notices,
    noticeAttempts: () => noticeAttempts,
    maxActiveRefills: () => maxActiveRefills,
  };
}

function notFaked(name: string): () => Promise<never> {
  return async () => {
    throw new Error(`${name} is not faked`);
  };
}
