import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { StateStore } from '../../src/store';
import { listSyncWorkflowId } from '../../workflows/ids';
import { approveUpdate, listSyncWorkflow, progressQuery, rejectUpdate } from '../../workflows/list-sync';
import {
  dropFromDemoNewsletter,
  firstSnapshotRecipient,
  joinDemoNewsletter,
  withdrawInDemoCrm,
  type HeldRecipient,
} from '../helpers/hold-withdrawal';
import { pauseLongAndWithdraw, SLOW_BEFORE_PAUSE } from '../helpers/long-pause';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

// The re-export after a long pause between refill chunks is guarded like any: with maxShrinkPercent 0
// the one withdrawal during the pause holds it, mid-refill (the list cleared and partly refilled).
// Approved, the rest is sent without the withdrawn recipient and the run ends ready; rejected, neither
// export may be sent, so the run fails and the last good list is restored, without the recipient
// (the restore leaves out the re-export's consent exclusions, docs/daily-sync.md "A long pause").
// Someone of yesterday's list withdrew in the CRM before the run (the first export excludes them, a
// joiner keeps its count at yesterday's) and leaves the selection during the pause, so the re-export
// does not see them at all: they are not on the list either way, also not after the restore (the
// restore honours the first export's consent exclusions too).
describe.each(['approve', 'reject'] as const)(
  'a re-export after a long pause held mid-refill, operator: %s (dev server, simulator)',
  (decision) => {
    const shared = useSyncStack({
      title: `long pause held ${decision}`,
      contacts: 4000,
      adjust: (raw) => {
        raw.clients[0].lists[1].enabled = false;
        raw.clients[0].concurrency = 1;
        Object.assign(raw.clients[0].lists[0], { guard: { reexportAfter: '1s', maxShrinkPercent: 0 } });
      },
    });

    it(`${decision === 'approve' ? 'refills the rest' : 'restores the last good list'} without the withdrawn recipient`, async () => {
      const stack = shared.stack;
      // Yesterday's list: the last good run the guard measures against and a restore refills.
      await stack.runDaily();
      const yesterday = (await stack.listRecipients('newsletter')).length;
      const gone = await lastGoodRecipient(stack.deps.store, stack.clientKey);
      withdrawInDemoCrm(stack.crmFile, gone);
      joinDemoNewsletter(stack.crmFile, 'JOINER-1', 'joy.joiner@example.test');
      await stack.admin('/admin/faults', { latencyByOperation: SLOW_BEFORE_PAUSE['between-chunks'] });
      const worker = await stack.startWorker();
      const { outcome, withdrawn, held } = await worker.runUntil(async () => {
        const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
          args: [{ client: stack.clientKey, listKey: 'newsletter', batchesPerActivity: 1 }],
        });
        const person = await pauseLongAndWithdraw(stack, handle, 'between-chunks', () => dropFromDemoNewsletter(stack.crmFile, gone));
        await waitFor(async () => (await handle.query(progressQuery)).phase === 'held', 60_000, 50);
        const progress = await handle.query(progressQuery);
        const message = { args: [{ by: 'ops@example.test', reason: `${decision} the re-export` }] as [{ by: string; reason: string }] };
        if (decision === 'approve') await handle.executeUpdate(approveUpdate, message);
        else await handle.executeUpdate(rejectUpdate, message);
        const result = await handle.result().then(
          (r) => ({ status: r.status, verifiedCount: r.verifiedCount, failure: undefined }),
          (error: unknown) => ({ status: 'failed', verifiedCount: undefined, failure: error }),
        );
        return { outcome: result, withdrawn: person, held: progress };
      });
      // Held by the shrink against the export being sent; the reasons (status, summary, incident
      // notice) say the list was re-exported after a pause, and how long it was, never a late approval.
      expect(held).toMatchObject({ phase: 'held', listIncomplete: true });
      expect(
        held.guardReasons.some((reason) => /against the export the run went on with \(re-exported after a pause of \d+s\)/.test(reason)),
      ).toBe(true);
      for (const reason of held.guardReasons) expect(reason).not.toMatch(/late approval|approved before it/);
      const live = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
      expect(live.includes(withdrawn.recipientId)).toBe(false);
      expect(live.includes(gone.recipientId)).toBe(false);
      if (decision === 'approve') {
        expect(outcome.status).toBe('ready');
        expect(outcome.verifiedCount).toBe(live.length);
        // Without both who withdrew, with the joiner (unless the pause's withdrawal was the joiner).
        expect(live.length).toBe(yesterday - 1);
      } else {
        expect(outcome.failure).toBeInstanceOf(WorkflowFailedError);
        const cause = (outcome.failure as WorkflowFailedError).cause;
        expect(cause).toBeInstanceOf(ApplicationFailure);
        expect((cause as ApplicationFailure).type).toBe('ListRestoredError');
        // Yesterday's list without both who withdrew: the one who left the selection too.
        expect(live.length).toBe(yesterday - 2);
      }
    }, 240_000);
  },
);

/** A recipient of the last good run's snapshot (yesterday's list) and the CRM entity it was sent as. */
async function lastGoodRecipient(store: StateStore, client: string): Promise<HeldRecipient> {
  const lastGood = await store.runs.lastGood(client, 'newsletter');
  if (!lastGood) throw new Error('no last good run of the newsletter');
  return firstSnapshotRecipient(store, lastGood.runId);
}
