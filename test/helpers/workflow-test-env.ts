import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { createWorker } from '../../src/worker';
import { fakeSyncActivities, type FakeSyncOptions } from './fake-sync-activities';
import { startSyncStack, type SyncStack, type SyncStackOptions } from './sync-stack';
import { bundleWorkflows, connectTestEnv, taskQueueFor } from './temporal-env';

/**
 * For a workflow test file: connects to the run's dev server and bundles the workflows once
 * (beforeAll), tears down afterwards. Read `env` and `bundle` inside tests.
 */
export function useWorkflowTestEnv() {
  const current: { env?: TestWorkflowEnvironment; bundle?: WorkflowBundle } = {};
  beforeAll(async () => {
    current.env = await connectTestEnv();
    current.bundle = await bundleWorkflows();
  });
  afterAll(async () => {
    await current.env?.teardown();
  });
  const need = <T>(value: T | undefined): T => {
    if (!value) throw new Error('workflow test environment used outside a test');
    return value;
  };
  return {
    get env() {
      return need(current.env);
    },
    get bundle() {
      return need(current.bundle);
    },
    /** Runs `body` while a worker with fake activities polls a task queue of its own. */
    async withFakeWorker<T>(
      title: string,
      options: FakeSyncOptions,
      body: (taskQueue: string, fake: ReturnType<typeof fakeSyncActivities>) => Promise<T>,
    ): Promise<T> {
      const taskQueue = taskQueueFor(title);
      const fake = fakeSyncActivities(options);
      const worker = await createWorker({
        connection: need(current.env).nativeConnection,
        namespace: 'default',
        taskQueue,
        activities: fake.activities,
        workflowBundle: need(current.bundle),
      });
      return worker.runUntil(body(taskQueue, fake));
    },
  };
}

/** A real pipeline (startSyncStack) shared by the tests of one file, stopped after them. */
export function useSyncStack(options: Omit<SyncStackOptions, 'env' | 'bundle'>) {
  const temporal = useWorkflowTestEnv();
  let stack: SyncStack | undefined;
  beforeAll(async () => {
    stack = await startSyncStack({ ...options, env: temporal.env, bundle: temporal.bundle });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return {
    temporal,
    get stack(): SyncStack {
      if (!stack) throw new Error('sync stack used outside a test');
      return stack;
    },
  };
}
