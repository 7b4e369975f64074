import { listSyncWorkflowId } from '../../workflows/ids';
import { listSyncWorkflow } from '../../workflows/list-sync';
import { pauseLongAndWithdraw, SLOW_BEFORE_PAUSE, type PausePoint } from '../helpers/long-pause';
import { useSyncStack } from '../helpers/workflow-test-env';

// A paused list sync used to go on after its resume with the export (or diff) it made before the
// pause, however long the pause lasted: a consent withdrawn only in the CRM during the pause (no
// Optimizely unsubscribe, so the refill's per-batch check does not see it) was sent. Now a pause after
// which the export is older than guard.reexportAfter (1 s here) exports again and guards it: before the
// clear (or before any change of a reconcile) the run goes on with the re-export; between refill or
// reconcile chunks the rest of the chunks leave out whoever the re-export no longer holds. Here a
// recipient of the export not yet on the list withdraws in the CRM during a long pause: they are not
// on the list afterwards, ledgered consent_withdrawn and never sent, and the verify still matches.
// Fails on the former workflow (patch reexport-after-long-pause), which sent them.
const cases: Array<['refresh' | 'reconcile', PausePoint]> = [
  ['refresh', 'before-change'],
  ['refresh', 'between-chunks'],
  ['reconcile', 'before-change'],
  ['reconcile', 'between-chunks'],
];

describe.each(cases)(
  'a consent withdrawn in the CRM during a long pause, strategy %s, paused %s (dev server, simulator)',
  (strategy, point) => {
    const shared = useSyncStack({
      title: `long pause ${strategy} ${point}`,
      // Between chunks: several batches of 1000, one per chunk.
      contacts: point === 'between-chunks' ? 4000 : 300,
      adjust: (raw) => {
        raw.clients[0].lists[1].enabled = false;
        raw.clients[0].concurrency = 1;
        Object.assign(raw.clients[0].lists[0], { strategy, guard: { reexportAfter: '1s' } });
      },
    });

    it('is not sent after the resume', async () => {
      const stack = shared.stack;
      await stack.admin('/admin/faults', { latencyByOperation: SLOW_BEFORE_PAUSE[point] });
      const worker = await stack.startWorker();
      const { result, withdrawn, runId } = await worker.runUntil(async () => {
        const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
          args: [{ client: stack.clientKey, listKey: 'newsletter', batchesPerActivity: 1 }],
        });
        const person = await pauseLongAndWithdraw(stack, handle, point);
        return { result: await handle.result(), withdrawn: person, runId: handle.firstExecutionRunId };
      });
      expect(result.status).toBe('ready');
      const live = (await stack.listRecipients('newsletter')).map((r) => r.recipientId);
      expect(live.length).toBeGreaterThan(0);
      expect(live.includes(withdrawn.recipientId)).toBe(false);
      expect(result.verifiedCount).toBe(live.length);
      const outcomes: string[] = [];
      const sent = new Map<string, number>();
      for await (const entry of stack.deps.store.ledger.stream(runId)) {
        if (entry.recipientId === withdrawn.recipientId) outcomes.push(entry.outcome === 'excluded' ? entry.reason : entry.outcome);
        if (entry.outcome === 'sent') sent.set(entry.recipientId, (sent.get(entry.recipientId) ?? 0) + 1);
      }
      // The re-export's ledger: the person excluded for consent, never sent; nobody sent twice.
      expect(outcomes).toContain('consent_withdrawn');
      expect(outcomes).not.toContain('sent');
      expect([...sent.values()].filter((n) => n > 1)).toEqual([]);
      if (point === 'between-chunks') expect(result.progress.notInFreshExport).toBe(1);
    }, 240_000);
  },
);
