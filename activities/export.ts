import { cancellationSignal, Context, log } from '@temporalio/activity';
import { listConfig, listRules } from '../src/sync/config-lookup';
import { exportToSnapshot } from '../src/sync/export-to-snapshot';
import { compareWithLastGood } from '../src/sync/attribute-baseline';
import { attributeNamesFor, TECHNICAL_FIELDS } from '../src/sync/recipient-batch';
import type { SyncListConfig } from '../src/config/config-schema';
import { guardBaseline, guardReasons, sendableCount, type GuardInput, type LiveCountAnswer } from '../src/sync/guard';
import { guardReasonsAfterHold } from '../src/sync/guard-after-hold';
import { reexportCauseText, type ReexportCause } from '../src/sync/reexport-cause';
import { countOptimizelyUnsubscribes } from '../src/sync/unsubscribe-check';
import type { ActivityDependencies } from './deps';
import { withKeepalive } from './keepalive';
import type { EvaluateGuardInput, ExportListOutput, GuardVerdict } from './export-types';
import type { Counts, RunRef } from './refs';

/** The CRM side of a list sync: export into a snapshot, then the guard's verdict on it. */
export function createExportActivities(deps: ActivityDependencies) {
  const { config, store } = deps;
  return {
    async exportList(input: RunRef): Promise<ExportListOutput> {
      return withUnsubscribeCount(deps, input, await exportListSnapshot(deps, input, { compareWithLastGood: true }));
    },

    async evaluateGuard(input: EvaluateGuardInput): Promise<GuardVerdict> {
      const { list } = listConfig(config, input.client, input.listKey);
      const lastGood = await store.runs.lastGood(input.client, input.listKey);
      const lastGoodCount = lastGood && lastGood.runId !== input.runId ? lastGood.snapshot?.count : undefined;
      // No last good run (the list's first run): the live list before the clear is the baseline.
      const liveCount = lastGoodCount === undefined ? await firstRunLiveCount(deps, input.client, list.listId, input.removal) : undefined;
      const guardInput = guardInputOf(input.exported, { lastGoodCount, liveCount, removal: input.removal });
      if (input.approved) {
        // The approved export against the same baseline; on a reconcile's first run the live read of its own diff.
        const approvedLive = liveCount && input.approvedRemoval ? { value: input.approvedRemoval.liveCount } : liveCount;
        const approved = guardInputOf(input.approved, { lastGoodCount, liveCount: approvedLive, removal: input.approvedRemoval });
        return guardAfterHold(list.guard, guardInput, approved, { ...input, after: input.reexport });
      }
      const reasons = guardReasons(list.guard, guardInput);
      const baseline = guardBaseline(guardInput);
      if (reasons.length > 0) log.warn('Run held by the guard', { client: input.client, listKey: input.listKey, reasons });
      return {
        hold: reasons.length > 0,
        reasons,
        lastGoodCount,
        baseline,
        approvalTimeoutMs: list.guard.approvalTimeout,
        reexportAfterMs: list.guard.reexportAfter,
      };
    },
  };
}

/** What the guard measures of an export, against the baseline it was given. */
function guardInputOf(exported: ExportListOutput, against: Pick<GuardInput, 'lastGoodCount' | 'liveCount' | 'removal'>): GuardInput {
  const { count, rowsRead, excluded, sanitizedRows = 0, attributeChanges } = exported;
  // Reconcile never clears: its refill adds only joiners, so the unsubscribe count does not apply.
  const optimizelyUnsubscribed = against.removal ? undefined : exported.optimizelyUnsubscribed;
  return { count, rowsRead, excluded, sanitizedRows, ...against, optimizelyUnsubscribed, attributeChanges };
}

/**
 * The verdict on a re-export after a late approval or a long pause (a reconcile's with its diff's
 * removals): every rule of the first guard the approved export kept, and measured against the
 * approved export (guard-after-hold.ts); the reasons and the log name which of the two it was.
 */
function guardAfterHold(
  guard: SyncListConfig['guard'],
  fresh: GuardInput,
  approved: GuardInput,
  run: { client: string; listKey: string; after?: ReexportCause },
): GuardVerdict {
  const reasons = guardReasonsAfterHold(guard, fresh, approved, run.after);
  if (reasons.length > 0)
    log.warn(`Re-export after ${reexportCauseText(run.after)} held by the guard`, { client: run.client, listKey: run.listKey, reasons });
  return {
    hold: reasons.length > 0,
    reasons,
    lastGoodCount: fresh.lastGoodCount,
    baseline: { kind: 'approved-export', count: sendableCount(approved).sendable },
    approvalTimeoutMs: guard.approvalTimeout,
    reexportAfterMs: guard.reexportAfter,
  };
}

/** Attempts of `evaluateGuard` that may fail on the live count (the activity is retried) before it holds the run. */
export const LIVE_COUNT_ATTEMPTS = 5;

/**
 * The live list's count on a first run: strategy reconcile has just read the list in full (the
 * distinct ids it read); otherwise one Recipient.getCount. A failed count (a transient fault, or an
 * answer the client refuses as no count) fails this attempt so the activity is retried; from the
 * LIVE_COUNT_ATTEMPTS-th attempt on it is an answer the guard holds on: it never lets the run through.
 */
async function firstRunLiveCount(
  deps: ActivityDependencies,
  client: string,
  listId: number,
  removal: EvaluateGuardInput['removal'],
): Promise<LiveCountAnswer> {
  if (removal) return { value: removal.liveCount };
  try {
    return { value: await deps.optimizely(client).recipient.getCount({ listId }, { signal: cancellationSignal() }) };
  } catch (error) {
    const { attempt } = Context.current().info;
    if (attempt < LIVE_COUNT_ATTEMPTS) throw error;
    return { error: `${error instanceof Error ? error.message : String(error)} (attempt ${attempt})` };
  }
}

/**
 * The export into a snapshot and its counts, without the unsubscribe count (strategy reconcile never
 * clears). `compareWithLastGood` (strategy refresh): the mapped attribute values of the recipients
 * kept are compared with the last good run's snapshot during the export, read beside it
 * (attribute-baseline.ts); a reconcile compares with the live list in its diff instead.
 */
export async function exportListSnapshot(
  deps: ActivityDependencies,
  input: RunRef,
  options: { compareWithLastGood?: boolean } = {},
): Promise<ExportListOutput> {
  const { config, store } = deps;
  const { list } = listConfig(config, input.client, input.listKey);
  const rules = listRules(config, input.client, list);
  let rowsRead = 0;
  const comparison = options.compareWithLastGood ? await lastGoodComparison(deps, input, rules.attributes) : undefined;
  const snapshot = await withKeepalive<{ rowsRead: number }, Awaited<ReturnType<typeof exportToSnapshot>>>(
    (beat) =>
      exportToSnapshot({
        client: input.client,
        runId: input.runId,
        rules,
        list,
        observe: comparison?.observe,
        now: deps.now,
        crm: deps.crm,
        store,
        onProgress: (read) => beat({ rowsRead: (rowsRead = read) }),
        // At most a quarter second per 1000 rows while another list's refill runs in this worker;
        // heartbeats after a wait, because draining the de-duplicated rows reports no progress.
        pace: async () => {
          if (await deps.windowPriority.giveWay(250)) beat({ rowsRead });
        },
      }),
    { rowsRead },
  );
  const run = await store.runs.get(input.runId);
  // The IDN conversions are recorded on the run here, not carried through the workflow: the
  // finish merges its counts over these (docs/crm.md, "E-mail rule").
  const idn: Record<string, number> = snapshot.counts.idnConverted > 0 ? { idnConverted: snapshot.counts.idnConverted } : {};
  if (run)
    await store.runs.upsert({
      ...run,
      counts: { ...run.counts, ...idn },
      snapshot: { snapshotRef: snapshot.snapshotRef, count: snapshot.count, checksum: snapshot.checksum },
      // Every snapshot row passed this consent: feedback withdraws it, whatever the list is configured with later.
      consent: { optInId: list.optInId, mediaType: list.mediaType },
      listId: list.listId,
    });
  const excluded: Counts = Object.fromEntries(Object.entries(snapshot.counts.excluded).filter(([, n]) => n > 0));
  const { sanitizedRows, sanitized } = snapshot.counts;
  const suppressed: Counts = Object.fromEntries(Object.entries(snapshot.counts.suppressed).filter(([, n]) => n > 0));
  log.info('List exported', {
    client: input.client,
    listKey: input.listKey,
    rowsRead: snapshot.counts.rowsRead,
    count: snapshot.count,
    excluded,
    sanitized,
    suppressed,
    idnConverted: snapshot.counts.idnConverted,
  });
  const attributeChanges = await comparison?.result();
  if (attributeChanges) log.info('Attribute values compared with the last good run', { listKey: input.listKey, ...attributeChanges });
  const { snapshotRef, count, checksum } = snapshot;
  return {
    snapshotRef,
    count,
    checksum,
    rowsRead: snapshot.counts.rowsRead,
    excluded,
    sanitizedRows,
    sanitized,
    suppressed,
    ...(attributeChanges ? { attributeChanges } : {}),
  };
}

/** The comparison with the last good run's snapshot (none on a list's first run), read beside the export. */
async function lastGoodComparison(deps: ActivityDependencies, input: RunRef, mapping: Record<string, string>) {
  const lastGood = await deps.store.runs.lastGood(input.client, input.listKey);
  const snapshotRef = lastGood && lastGood.runId !== input.runId ? lastGood.snapshot?.snapshotRef : undefined;
  return compareWithLastGood({
    store: deps.store,
    snapshotRef,
    names: [...new Set(attributeNamesFor(mapping).slice(TECHNICAL_FIELDS.length))],
    onMissing: (ref) => log.warn('The last good run has no snapshot: attribute values not compared', { listKey: input.listKey, ref }),
  });
}

/**
 * The export with how many of its recipients Optimizely's unsubscribe list holds, asked before the
 * clear on every list (the refill asks every list too: Optimizely re-activates by the list's type,
 * which the configuration may not tell) so the guard sees the list the refill would leave
 * (countOptimizelyUnsubscribes, guard.ts sendableCount).
 */
export async function withUnsubscribeCount(
  deps: ActivityDependencies,
  input: RunRef,
  exported: ExportListOutput,
): Promise<ExportListOutput> {
  const optimizelyUnsubscribed = await withKeepalive<undefined, number>((beat) =>
    countOptimizelyUnsubscribes({
      optimizely: deps.optimizely(input.client),
      store: deps.store,
      snapshotRef: exported.snapshotRef,
      onBatch: () => beat(undefined),
    }),
  );
  log.info('Unsubscribe list asked before the clear', { client: input.client, listKey: input.listKey, optimizelyUnsubscribed });
  return { ...exported, optimizelyUnsubscribed };
}
