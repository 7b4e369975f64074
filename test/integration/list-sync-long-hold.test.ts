import { listSyncWorkflowId } from '../../workflows/ids';
import { approveUpdate, listSyncWorkflow, progressQuery } from '../../workflows/list-sync';
import { firstSnapshotRecipient, withdrawInDemoCrm } from '../helpers/hold-withdrawal';
import type { SyncStack } from '../helpers/sync-stack';
import { waitFor } from '../helpers/wait-for';
import { useSyncStack } from '../helpers/workflow-test-env';

// A run held by the guard refilled from its export's snapshot however late it was approved (up to
// approvalTimeout, 12 h): a consent withdrawn only in the CRM during the hold was sent. An approval
// later than guard.reexportAfter now exports (and guards) again before the clear. Here the guard
// holds every run (maxExcludedPercent 0), a recipient of the held snapshot withdraws in the CRM, and
// the approval comes after reexportAfter (1s): the list is refilled without them. Fails on the
// former workflow, which sent the held snapshot. The same for strategy reconcile (the list's first
// run, so everyone is a joiner): its diff is taken again with the export, and the withdrawn joiner is
// not added (fails with reconcile-fresh-export-after-late-approval's branch off: the stale diff added them).
describe.each(['refresh', 'reconcile'] as const)(
  'a consent withdrawn in the CRM during a long hold, strategy %s (dev server, simulator, real activities)',
  (strategy) => {
    const shared = useSyncStack({
      title: `long hold ${strategy}`,
      contacts: 300,
      adjust: (raw) => {
        raw.clients[0].lists[1].enabled = false;
        Object.assign(raw.clients[0].lists[0], { strategy, guard: { maxExcludedPercent: 0, reexportAfter: '1s' } });
      },
    });
    let stack: SyncStack;

    beforeAll(() => {
      stack = shared.stack;
    });

    it('is not sent when the approval comes later than reexportAfter', async () => {
      const worker = await stack.startWorker();
      const { result, withdrawn, runId } = await worker.runUntil(async () => {
        const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
          args: [{ client: stack.clientKey, listKey: 'newsletter' }],
        });
        await waitFor(async () => (await handle.query(progressQuery)).phase === 'held', 60_000);
        const person = await firstSnapshotRecipient(stack.deps.store, handle.firstExecutionRunId);
        withdrawInDemoCrm(stack.crmFile, person);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await handle.executeUpdate(approveUpdate, { args: [{ by: 'ops@example.test', reason: 'approved after lunch' }] });
        return { result: await handle.result(), withdrawn: person, runId: handle.firstExecutionRunId };
      });
      expect(result).toMatchObject({ status: 'ready', decidedBy: 'ops@example.test' });
      const live = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
      expect(live.length).toBeGreaterThan(0);
      expect(live).not.toContain(withdrawn.recipientId);
      // The run's ledger is the re-export's: the person excluded for consent, never sent.
      const outcomes: string[] = [];
      for await (const entry of stack.deps.store.ledger.stream(runId))
        if (entry.recipientId === withdrawn.recipientId) outcomes.push(entry.outcome === 'excluded' ? entry.reason : entry.outcome);
      expect(outcomes).toContain('consent_withdrawn');
      expect(outcomes).not.toContain('sent');
      expect(result.verifiedCount).toBe(live.length);
    }, 180_000);
  },
);
