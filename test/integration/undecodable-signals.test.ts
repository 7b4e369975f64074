import { dailySyncWorkflow, statusQuery } from '../../workflows/daily-sync';
import { listSyncWorkflow, progressQuery, rejectSignal } from '../../workflows/list-sync';
import { jsonPayload, signalRaw, UNDECODABLE_PAYLOADS, type Payload } from '../helpers/undecodable-signal';
import { waitFor } from '../helpers/wait-for';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';

// A signal whose payload the SDK cannot decode threw before any handler ran: the workflow task failed
// on every retry (the signal stays in the history), and the run stood still for good. Now the operator
// signals are received undecoded and such a signal is ignored: the run goes on and later messages act.
describe('undecodable operator signals', () => {
  const temporal = useWorkflowTestEnv();

  it('a held list sync ignores them and still takes a decision', async () => {
    await temporal.withFakeWorker('undecodable list signals', { guard: { hold: true, reasons: ['x'] } }, async (taskQueue, fake) => {
      const client = temporal.env.client;
      const handle = await client.workflow.start(listSyncWorkflow, {
        taskQueue,
        workflowId: `list-sync:${taskQueue}`,
        args: [{ client: 'demo', listKey: 'newsletter', batchesPerActivity: 1 }],
      });
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      for (const name of ['approve', 'reject', 'pause', 'resume'])
        for (const payload of UNDECODABLE_PAYLOADS) await signalRaw(client, handle.workflowId, name, [payload]);
      // A valid message with an undecodable second argument: the second is never decoded.
      await signalRaw(client, handle.workflowId, 'pause', [
        jsonPayload({ by: 'ops', reason: 'valid' }),
        UNDECODABLE_PAYLOADS[0] as Payload,
      ]);
      await waitFor(async () => (await handle.query(progressQuery)).paused === true);
      await handle.signal(rejectSignal, { by: 'ops', reason: 'report broken' });
      expect(await handle.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops' });
      expect(fake.operatorActions.map((a) => a.action)).toEqual(['pause', 'reject']);
    });
  });

  it('a daily run ignores them and goes on to its end', async () => {
    await temporal.withFakeWorker('undecodable daily signals', {}, async (taskQueue) => {
      const client = temporal.env.client;
      const handle = await client.workflow.start(dailySyncWorkflow, {
        taskQueue,
        workflowId: `daily-sync:${taskQueue}`,
        args: [{ client: taskQueue }],
      });
      for (const name of ['pauseList', 'resumeList', 'rerunList'])
        for (const payload of UNDECODABLE_PAYLOADS) await signalRaw(client, handle.workflowId, name, [payload]);
      const status = await handle.result();
      expect(status.phase).toBe('done');
      expect((await handle.query(statusQuery)).phase).toBe('done');
    });
  });
});
