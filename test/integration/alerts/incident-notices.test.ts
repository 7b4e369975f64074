import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { listSyncWorkflowId } from '../../../workflows/ids';
import { approveUpdate, listSyncWorkflow, progressQuery } from '../../../workflows/list-sync';
import { answerFail, answerOk, startAlertReceiver, type ReceiverBehaviour } from '../../helpers/alert-receiver';
import { startSyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { waitFor } from '../../helpers/wait-for';
import { useWorkflowTestEnv } from '../../helpers/workflow-test-env';

// Incident notices from real workflows: a real Temporal dev server, the simulator over SOAP, the real
// notifyIncident activity with its SQLite incident table, and a real HTTP receiver started here.

const URL_ENV = 'CAMPAIGN_SYNC_TEST_ALERT_URL';

describe('incident notices, real stack and receiver', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
  });
  afterAll(async () => env?.teardown());

  /** A guarded list sync (every exclusion holds it) with one webhook channel; approved once held and notified. */
  async function guardedRun(title: string, behaviour: ReceiverBehaviour, approveWhen: (bodies: string[]) => boolean) {
    const receiver = await startAlertReceiver(behaviour);
    process.env[URL_ENV] = receiver.url;
    const stack = await startSyncStack({
      env,
      bundle,
      title,
      contacts: 300,
      adjust: (raw) => {
        raw.clients[0].alerts = { channels: [{ kind: 'webhook', url: { env: URL_ENV } }], timeout: '5s' };
        raw.clients[0].lists[0].guard = { maxExcludedPercent: 0 };
      },
    });
    const worker = await stack.startWorker();
    const workflowId = listSyncWorkflowId(stack.clientKey, 'newsletter');
    try {
      const result = await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(listSyncWorkflow, {
          taskQueue: stack.taskQueue,
          workflowId,
          args: [{ client: stack.clientKey, listKey: 'newsletter' }],
        });
        await waitFor(async () => (await handle.query(progressQuery)).phase === 'held' && approveWhen(receiver.bodies), 60_000, 50);
        await handle.executeUpdate(approveUpdate, { args: [{ by: 'test', reason: 'notices test' }] });
        return handle.result();
      });
      return { result, receiver, stack };
    } finally {
      await stack.stop();
      await receiver.stop();
    }
  }

  it('a hold sends one notice with the reasons and the exact commands, its decision one recovery, even when the first deliveries fail', async () => {
    let calls = 0;
    // The receiver fails the first two deliveries: the activity retries, and the incident is notified once.
    const flaky: ReceiverBehaviour = (req, res, body) => (++calls <= 2 ? answerFail(req, res, body) : answerOk(req, res, body));
    const { result, receiver, stack } = await guardedRun('notices flaky receiver', flaky, (bodies) => bodies.length >= 3);
    expect(result.status).toBe('ready');
    const delivered = receiver.payloads().slice(2);
    expect(delivered).toEqual([
      expect.objectContaining({
        type: 'campaign-sync.incident',
        incident: 'guard-hold:newsletter',
        state: 'open',
        client: stack.clientKey,
        listKey: 'newsletter',
        reasons: [expect.stringMatching(/excluded \(limit 0%\)/)],
        commands: [
          `campaign-sync --client ${stack.clientKey} approve newsletter --reason "<why>"`,
          `campaign-sync --client ${stack.clientKey} reject newsletter --reason "<why>"`,
        ],
      }),
      expect.objectContaining({ incident: 'guard-hold:newsletter', state: 'resolved' }),
    ]);
    // The two failed attempts carried the same notice; nothing about recipients travels.
    expect(
      receiver
        .payloads()
        .slice(0, 2)
        .map((p) => p.state),
    ).toEqual(['open', 'open']);
    expect(receiver.bodies.join('\n')).not.toMatch(/@/);
  });

  it('a receiver that keeps failing is retried, then given up: the run ends as it would have', async () => {
    const { result, receiver } = await guardedRun('notices failing receiver', answerFail, (bodies) => bodies.length >= 4);
    expect(result.status).toBe('ready');
    // Four attempts of the hold notice; its recovery is not sent, since the opening never got through.
    expect(receiver.payloads().map((p) => `${p.incident} ${p.state}`)).toEqual(Array(4).fill('guard-hold:newsletter open'));
  });
});

describe('incident notices from the workflows (fake activities)', () => {
  const temporal = useWorkflowTestEnv();
  const start = (taskQueue: string) =>
    temporal.env.client.workflow.start(listSyncWorkflow, {
      taskQueue,
      workflowId: `list-sync:${taskQueue}`,
      args: [{ client: 'demo', listKey: 'newsletter', batchesPerActivity: 2 }],
    });

  it('a restored list opens the list-not-ready incident with its status; a ready one reports the recovery', async () => {
    await temporal.withFakeWorker('notices restored', { exportedCount: 2500, refillFailsAt: 2 }, async (taskQueue, fake) => {
      await expect((await start(taskQueue)).result()).rejects.toMatchObject({ cause: { type: 'ListRestoredError' } });
      expect(fake.notices).toEqual([
        expect.objectContaining({ kind: 'list-not-ready', state: 'open', status: 'restored', listKey: 'newsletter' }),
      ]);
    });
    await temporal.withFakeWorker('notices ready', { exportedCount: 2500 }, async (taskQueue, fake) => {
      expect((await (await start(taskQueue)).result()).status).toBe('ready');
      expect(fake.notices).toEqual([expect.objectContaining({ kind: 'list-not-ready', state: 'resolved', listKey: 'newsletter' })]);
    });
  });

  it("a notify activity that always fails does not change a failed run's outcome either", async () => {
    await temporal.withFakeWorker(
      'notices failing fake',
      { exportedCount: 2500, refillFailsAt: 2, notifyFails: true },
      async (taskQueue, fake) => {
        await expect((await start(taskQueue)).result()).rejects.toMatchObject({ cause: { type: 'ListRestoredError' } });
        expect(fake.noticeAttempts()).toBe(4);
      },
    );
  });
});
