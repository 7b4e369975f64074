import fc from 'fast-check';
import type { SyncActivities } from '../../../activities/activity-interfaces';
import type { ActivityDependencies } from '../../../activities/deps';
import type { ApplyReconcileInput, ExportAndDiffOutput } from '../../../activities/reconcile-types';
import { createExportActivities } from '../../../activities/export';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { listConfig } from '../../../src/sync/config-lookup';
import { createWorker } from '../../../src/worker';
import { approveUpdate, listSyncWorkflow, progressQuery, rejectUpdate } from '../../../workflows/list-sync';
import { fakeSyncActivities } from '../../helpers/fake-sync-activities';
import {
  aHoldWithRemovals,
  approvedCount,
  approvedRemoval,
  freshRemoval,
  removalAllowed,
  exportHeldAfterHold,
  type HoldWithRemovals,
} from '../../helpers/hold-removals';
import { taskQueueFor } from '../../helpers/temporal-env';
import { waitFor } from '../../helpers/wait-for';
import { useWorkflowTestEnv } from '../../helpers/workflow-test-env';

// A held reconcile approved after guard.reexportAfter exports, reads and diffs again, and the fresh diff
// is applied (docs/daily-sync.md, "A long hold"). The workflow guarded that re-export against the
// approved export only (its shrink and share), not the fresh diff's removals: recipients added to the
// live list by hand during the hold, or members who withdrew in the CRM under maxShrinkPercent, were
// removed however many they were. Here the workflow runs on the dev server with the real guard
// activity; the export-and-diff answers are drawn (the approved diff, then the fresh one), and every
// step that changes the list is recorded. Property: nothing is removed, added or updated unless the
// fresh diff's removals are what the operator's approval covers (the first guard's limit, or the
// approved removals and the limit beyond them); a run whose fresh diff stays within that and whose
// export did not shrink beyond its limit applies the fresh diff. Fails on the former workflow.
describe('the fresh diff of a reconcile approved late (dev server, fake Optimizely steps, real guard)', () => {
  const temporal = useWorkflowTestEnv();
  const config = parseConfig(demoConfig(), 'test', '/tmp');
  const { list } = listConfig(config, 'demo', 'newsletter');
  // Yesterday's run sent what the approved export accepts: the shrink against it is the withdrawals'.
  const lastGood = { count: 0 };
  const store = { runs: { lastGood: async () => ({ runId: 'run-yesterday', snapshot: { count: lastGood.count } }) } };
  const deps = { config, store } as unknown as ActivityDependencies;
  const realGuard = createExportActivities(deps).evaluateGuard;

  it('applies no change the fresh guard did not let through', async () => {
    const fake = fakeSyncActivities();
    const state = { answers: [] as ExportAndDiffOutput[], verdicts: [] as boolean[], applied: [] as string[] };
    const record = (what: string) => async (input: ApplyReconcileInput) => {
      state.applied.push(`${what}:${input.snapshotRef}`);
      return { batchesDone: input.endBatch - input.firstBatch, counts: {} };
    };
    const reconcileSteps: Partial<SyncActivities> = {
      readListControl: async (ref) => ({ listKey: ref.listKey, paused: false, strategy: 'reconcile' }),
      exportAndDiffLiveList: async () => state.answers.shift() as ExportAndDiffOutput,
      evaluateGuard: async (input) => {
        const verdict = await realGuard(input);
        state.verdicts.push(verdict.hold);
        return verdict;
      },
      removeLeavers: record('remove'),
      updateChanged: record('update'),
      refillList: async (input) => {
        state.applied.push(`add:${input.snapshotRef}`);
        return fake.activities.refillList(input);
      },
      verifyReconcile: async (input) => ({ count: input.expected, matches: true, verifiedAt: new Date().toISOString() }),
    };
    const taskQueue = taskQueueFor('late approval removals');
    const worker = await createWorker({
      connection: temporal.env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: temporal.bundle,
      activities: {
        ...fake.activities,
        ...reconcileSteps,
      },
    });

    let example = 0;
    const runOnce = async (h: HoldWithRemovals) => {
      example += 1;
      Object.assign(list.guard, { maxRemovePercent: h.maxRemovePercent, maxShrinkPercent: h.maxShrinkPercent, maxExcludedPercent: 0 });
      Object.assign(list.guard, { reexportAfter: 1, allowEmpty: false });
      lastGood.count = approvedCount(h);
      Object.assign(state, { answers: answersOf(h, example), verdicts: [], applied: [] });
      const handle = await temporal.env.client.workflow.start(listSyncWorkflow, {
        taskQueue,
        workflowId: `list-sync:${taskQueue}:${example}`,
        args: [{ client: 'demo', listKey: 'newsletter' }],
      });
      const heldAfter = async (verdicts: number) =>
        state.verdicts.length >= verdicts && (await handle.query(progressQuery)).phase === 'held';
      await waitFor(() => heldAfter(1));
      // Later than reexportAfter (1 ms): exported, read and diffed again, and guarded.
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'ops@example.test', reason: 'approved after lunch' }] });
      await waitFor(async () => state.verdicts.length >= 2);
      if (state.verdicts[1]) {
        await waitFor(() => heldAfter(2));
        const appliedWhileHeld = [...state.applied];
        await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ops@example.test', reason: 'too many leavers' }] });
        return { heldAgain: true, appliedWhileHeld, result: await handle.result() };
      }
      return { heldAgain: false, appliedWhileHeld: [], result: await handle.result() };
    };

    await worker.runUntil(
      fc.assert(
        fc.asyncProperty(aHoldWithRemovals(3000), async (h) => {
          const { heldAgain, appliedWhileHeld, result } = await runOnce(h);
          const allowed = removalAllowed(h.maxRemovePercent, freshRemoval(h), approvedRemoval(h));
          if (heldAgain) {
            expect(appliedWhileHeld).toEqual([]);
            expect(result.status).toBe('rejected');
            expect(state.applied).toEqual([]);
          } else {
            expect(allowed).toBe(true);
            expect(result.status).toBe('ready');
            // The fresh diff is what is applied, never the approved one.
            expect(state.applied.filter((a) => a.includes('-approved-'))).toEqual([]);
          }
          if (allowed && !exportHeldAfterHold(h)) expect(heldAgain).toBe(false);
        }),
        {
          numRuns: 20,
          examples: [[{ live: 1000, removed: 50, joiners: 0, handAdded: 500, withdrawn: 0, maxRemovePercent: 10, maxShrinkPercent: 20 }]],
        },
      ),
    );
  }, 300_000);
});

/** The export and diff the operator approved, then the fresh ones after the hold (twice, for a second re-export). */
function answersOf(h: HoldWithRemovals, example: number): ExportAndDiffOutput[] {
  const count = approvedCount(h);
  const answer = (kind: string, withdrew: number, removal: { remove: number; liveCount: number }): ExportAndDiffOutput => ({
    exported: {
      snapshotRef: `snap-${kind}-${example}`,
      count: count - withdrew,
      checksum: 'sha',
      rowsRead: count + 1,
      // One row excluded: with maxExcludedPercent 0 the first guard holds the run.
      excluded: { consent_withdrawn: 1 + withdrew },
    },
    diff: {
      add: h.joiners,
      remove: removal.remove,
      update: 0,
      unchanged: h.live - h.removed - withdrew,
      repeated: 0,
      liveCount: removal.liveCount,
      liveRead: removal.liveCount,
      addRef: `joiners-${kind}-${example}`,
      updateRef: `changed-${kind}-${example}`,
      removeRef: `leavers-${kind}-${example}`,
    },
  });
  const fresh = answer('fresh', h.withdrawn, freshRemoval(h));
  return [answer('approved', 0, approvedRemoval(h)), fresh, fresh];
}
