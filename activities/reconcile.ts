import { cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { planFields } from '../src/plan/plan-fields';
import { applyBatches, type ReconcileCheckpoint } from '../src/reconcile/apply-batches';
import { diffLiveList } from '../src/reconcile/diff-live-list';
import { removeLeaverBatch } from '../src/reconcile/remove-leavers';
import { updateChangedBatch } from '../src/reconcile/update-changed';
import { FULL_VERIFIED_AT, fullReadBackDue, readBackInFull } from '../src/reconcile/verify-reconcile';
import { listAttributes, listConfig } from '../src/sync/config-lookup';
import { readCheckpoint, reconcileCheckpointSchema } from './checkpoints';
import type { ActivityDependencies } from './deps';
import { exportListSnapshot } from './export';
import type { RunRef } from './refs';
import { keepalive, withKeepalive } from './keepalive';
import type {
  ApplyReconcileInput,
  ApplyReconcileOutput,
  DiffLiveListInput,
  ExportAndDiffOutput,
  ReconcileDiffOutput,
  VerifyReconcileInput,
  VerifyReconcileOutput,
} from './reconcile-types';

/** Strategy reconcile: the diff against the live list, then removals, updates and the verify (no clear). */
export function createReconcileActivities(deps: ActivityDependencies) {
  const { config, store } = deps;
  const attributes = (ref: { client: string; listKey: string }) => listAttributes(config, ref.client, ref.listKey);
  const nowMs = () => (deps.now ?? (() => new Date()))().getTime();
  const exportList = (ref: RunRef) => exportListSnapshot(deps, ref);

  /** The live list read and diffed against the export's snapshot, which may still be being written. */
  async function diffAgainstSnapshot(ref: RunRef, snapshotRef: string | Promise<string>): Promise<ReconcileDiffOutput> {
    const { list } = listConfig(config, ref.client, ref.listKey);
    const diff = await withKeepalive<undefined, ReconcileDiffOutput>(async (beat) =>
      diffLiveList({
        store,
        optimizely: deps.optimizely(ref.client),
        client: ref.client,
        runId: ref.runId,
        list,
        attributeMapping: attributes(ref),
        snapshotRef,
        signal: cancellationSignal(),
        progress: () => beat(undefined),
      }),
    );
    log.info('Live list diffed', {
      client: ref.client,
      listKey: ref.listKey,
      add: diff.add,
      remove: diff.remove,
      update: diff.update,
      unchanged: diff.unchanged,
    });
    return diff;
  }

  return {
    diffLiveList: (input: DiffLiveListInput): Promise<ReconcileDiffOutput> => diffAgainstSnapshot(input, input.snapshotRef),

    /**
     * The export and the live list's read at the same time (both come before the guard, neither
     * changes Optimizely), then the diff. A failure of either waits for the other to stop, so no
     * export of a failed attempt is still writing when the retry starts.
     */
    async exportAndDiffLiveList(input: RunRef): Promise<ExportAndDiffOutput> {
      const exporting = exportList(input);
      const [exported, diff] = await Promise.allSettled([
        exporting,
        diffAgainstSnapshot(
          input,
          exporting.then((e) => e.snapshotRef),
        ),
      ]);
      if (exported.status === 'rejected') throw exported.reason;
      if (diff.status === 'rejected') throw diff.reason;
      // The guard reads the attribute comparison from the export it is given (guard.ts): the live values are the diff's.
      const { attributeChanges, ...counts } = diff.value;
      return { exported: { ...exported.value, attributeChanges }, diff: counts };
    },

    removeLeavers: (input: ApplyReconcileInput) => applyChunk(deps, input, 'removals', (ctx) => (rows) => removeLeaverBatch(ctx, rows)),

    updateChanged: (input: ApplyReconcileInput) =>
      applyChunk(deps, input, 'updates', (ctx) => {
        const fields = planFields(listConfig(config, input.client, input.listKey).list, attributes(input));
        return (rows) => updateChangedBatch({ ...ctx, fields }, rows);
      }),

    async verifyReconcile(input: VerifyReconcileInput): Promise<VerifyReconcileOutput> {
      const { list } = listConfig(config, input.client, input.listKey);
      const optimizely = deps.optimizely(input.client);
      const alive = keepalive<undefined>();
      try {
        const count = await optimizely.recipient.getCount({ listId: list.listId }, { signal: cancellationSignal() });
        const output: VerifyReconcileOutput = { count, matches: count === input.expected, verifiedAt: new Date(nowMs()).toISOString() };
        const runs = await store.runs.list({ client: input.client, listKey: input.listKey, kind: 'list', limit: 50 });
        if (!output.matches || !fullReadBackDue(runs, input.runId, list.fullVerifyEveryDays, nowMs())) return output;
        const readBack = await readBackInFull({
          store,
          optimizely,
          runId: input.runId,
          list,
          attributeMapping: attributes(input),
          snapshotRef: input.snapshotRef,
          progress: () => alive.beat(undefined),
          signal: cancellationSignal(),
        });
        const exact = readBack.missing === 0 && readBack.extra === 0;
        if (exact) await recordFullVerify(input.runId);
        return { ...output, matches: exact, fullReadBack: readBack };
      } finally {
        alive.stop();
      }
    },
  };

  async function recordFullVerify(runId: string): Promise<void> {
    const run = await store.runs.get(runId);
    if (run) await store.runs.upsert({ ...run, counts: { ...run.counts, [FULL_VERIFIED_AT]: nowMs() } });
  }
}

type BatchContext = Parameters<typeof removeLeaverBatch>[0];

/** One chunk of removal or update batches, resumed from the previous attempt's checkpoint. */
async function applyChunk(
  deps: ActivityDependencies,
  input: ApplyReconcileInput,
  what: string,
  batchFor: (ctx: BatchContext) => (rows: Parameters<typeof removeLeaverBatch>[1]) => Promise<Record<string, number>>,
): Promise<ApplyReconcileOutput> {
  const { list } = listConfig(deps.config, input.client, input.listKey);
  const resumeFrom: ReconcileCheckpoint | undefined = readCheckpoint(reconcileCheckpointSchema, what);
  if (resumeFrom)
    log.info('Reconcile resumes after the last applied batch', { listKey: input.listKey, what, nextBatch: resumeFrom.nextBatch });
  const signal = cancellationSignal();
  const ctx = {
    optimizely: deps.optimizely(input.client),
    store: deps.store,
    runId: input.runId,
    listKey: input.listKey,
    listId: list.listId,
    signal,
  };
  let latest = resumeFrom;
  const beat = setInterval(() => heartbeat(latest), 1000);
  try {
    const done = await applyBatches(
      {
        store: deps.store,
        snapshotRef: input.snapshotRef,
        firstBatch: input.firstBatch,
        endBatch: input.endBatch,
        resumeFrom,
        signal,
        checkpoint: (c) => heartbeat((latest = c)),
      },
      batchFor(ctx),
    );
    return { batchesDone: input.endBatch - input.firstBatch, counts: done.counts };
  } finally {
    clearInterval(beat);
  }
}
