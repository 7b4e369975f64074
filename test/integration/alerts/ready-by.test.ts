import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { listSyncWorkflowId, readyByWorkflowId } from '../../../workflows/ids';
import { listSyncWorkflow } from '../../../workflows/list-sync';
import { readyByWorkflow, type ReadyByWorkflowInput } from '../../../workflows/ready-by';
import { startAlertReceiver } from '../../helpers/alert-receiver';
import { readyByAgo } from '../../helpers/ready-by-clock';
import { startSyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { waitFor } from '../../helpers/wait-for';

// readyBy end to end: a deadline that passed with no run at all (no daily run, nothing scheduled),
// checked by readyByWorkflow on a real dev server with the real activities and state store, notices to
// a real HTTP receiver. A second check of the same deadline sends nothing; a ready list sync afterwards
// brings the one recovery notice.

const URL_ENV = 'CAMPAIGN_SYNC_TEST_READY_BY_URL';

describe('readyBy deadlines, real stack and receiver', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
  });
  afterAll(async () => env?.teardown());

  it('a deadline passing with no run opens one incident per list and day; a second check is silent; a ready run recovers it', async () => {
    const receiver = await startAlertReceiver();
    process.env[URL_ENV] = receiver.url;
    const { readyBy, at } = readyByAgo(120_000);
    const stack = await startSyncStack({
      env,
      bundle,
      title: 'ready-by deadline',
      contacts: 200,
      adjust: (raw) => {
        raw.clients[0].alerts = { channels: [{ kind: 'webhook', url: { env: URL_ENV } }], timeout: '5s' };
        raw.clients[0].lists[0].readyBy = readyBy;
      },
    });
    const worker = await stack.startWorker();
    const input: ReadyByWorkflowInput = { client: stack.clientKey, readyBy, recheckEveryMs: 200, followForMs: 10 * 60_000 };
    const start = (stamp: string, overrides: Partial<ReadyByWorkflowInput> = {}) =>
      env.client.workflow.start(readyByWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId: readyByWorkflowId(stack.clientKey, readyBy, stamp),
        args: [{ ...input, ...overrides }],
      });
    try {
      await worker.runUntil(async () => {
        const first = await start('first');
        await waitFor(async () => receiver.bodies.length >= 1, 30_000, 50);
        // The same deadline checked again (a second firing): already notified, nothing sent.
        const second = await (await start('second', { followForMs: 0 })).result();
        expect(second).toMatchObject({ late: ['newsletter'], recovered: [] });
        expect(receiver.bodies).toHaveLength(1);

        const listSync = await env.client.workflow.execute(listSyncWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId: listSyncWorkflowId(stack.clientKey, 'newsletter'),
          args: [{ client: stack.clientKey, listKey: 'newsletter' }],
        });
        expect(listSync.status).toBe('ready');
        const result = await first.result();
        expect(result).toMatchObject({ late: ['newsletter'], recovered: ['newsletter'], paused: [] });
        // A check of the same deadline after the recovery resolves nothing more.
        expect(await (await start('third', { followForMs: 0 })).result()).toMatchObject({
          late: ['newsletter'],
          recovered: ['newsletter'],
        });
      });
      const day = at.toISOString().slice(0, 10);
      const incident = `list-late:newsletter:${day}`;
      expect(receiver.payloads()).toEqual([
        expect.objectContaining({
          type: 'campaign-sync.incident',
          incident,
          state: 'open',
          kind: 'list-late',
          client: stack.clientKey,
          listKey: 'newsletter',
          deadline: { readyBy, day },
          summary: `List ${stack.clientKey}/newsletter was not ready by its ${readyBy} deadline of ${day}`,
        }),
        expect.objectContaining({
          incident,
          state: 'resolved',
          summary: expect.stringContaining('is ready (verified refill) after missing'),
        }),
      ]);
      // No recipient data in what left the process.
      expect(receiver.bodies.join('\n')).not.toMatch(/@/);
    } finally {
      await stack.stop();
      await receiver.stop();
    }
  });
});
