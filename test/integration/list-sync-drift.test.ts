import { listSyncWorkflow } from '../../workflows/list-sync';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';

// The drift measure sits between the guard and the clear: its figures travel in the progress and the
// run summary; a count that cannot be had is a warning, not a reason to leave the list unsynchronised.
describe('listSyncWorkflow drift before the clear (fake activities)', () => {
  const temporal = useWorkflowTestEnv();

  const run = (taskQueue: string) =>
    temporal.env.client.workflow.execute(listSyncWorkflow, {
      taskQueue,
      workflowId: `list-sync:${taskQueue}`,
      args: [{ client: 'demo', listKey: 'newsletter' }],
    });

  it('measures once, after the export and before the clear, and reports it in the progress', async () => {
    const drift = { liveCount: 2503, expectedCount: 2500, added: 3, removed: 0 };
    await temporal.withFakeWorker('drift measured', { drift }, async (taskQueue, fake) => {
      const result = await run(taskQueue);
      expect(result.status).toBe('ready');
      expect(result.progress.drift).toEqual(drift);
      expect(fake.drifts).toEqual(['newsletter']);
      expect(fake.calls.slice(0, 3)).toEqual(['importFeedback', 'export:newsletter', 'clear:newsletter']);
    });
  });

  it('syncs the list anyway when the count fails', async () => {
    await temporal.withFakeWorker('drift fails', { driftFails: true }, async (taskQueue, fake) => {
      const result = await run(taskQueue);
      expect(result.status).toBe('ready');
      expect(result.progress.drift).toBeUndefined();
      expect(fake.drifts).toEqual(['newsletter']);
      expect(fake.calls).toContain('clear:newsletter');
    });
  });
});
