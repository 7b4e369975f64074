import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { smokeWorkflow } from '../../workflows/smoke';
import { createStackActivities } from '../../activities/stack';
import { createWorker } from '../../src/worker';
import { connectTestEnv, taskQueueFor } from '../helpers/temporal-env';

describe('smokeWorkflow', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await connectTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow and its activity on a real dev server', async () => {
    const taskQueue = taskQueueFor('smoke round trip');
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: createStackActivities(),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(smokeWorkflow, {
        taskQueue,
        workflowId: `smoke-${taskQueue}`,
        args: [{ requestedBy: 'jest' }],
      }),
    );
    expect(result).toEqual({ greeting: 'campaign-sync is up (asked by jest)', taskQueue });
  });

  it('registers the custom search attributes on the server', async () => {
    const { customAttributes } = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(['CampaignClient', 'ListKey', 'SyncPhase']));
  });
});
