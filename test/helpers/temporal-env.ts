import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';

export const TEST_TEMPORAL_ADDRESS_VAR = 'CAMPAIGN_SYNC_TEST_TEMPORAL_ADDRESS';

let runtimeInstalled = false;

/** Connects to the run's dev server; the SDK's own download is never involved. */
export async function connectTestEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const address = process.env[TEST_TEMPORAL_ADDRESS_VAR];
  if (!address) throw new Error(`${TEST_TEMPORAL_ADDRESS_VAR} is unset: run integration tests through jest's global setup.`);
  return TestWorkflowEnvironment.createFromExistingServer({ address });
}

/** A task queue of its own per test, so workers of parallel tests never take each other's tasks. */
export function taskQueueFor(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60);
  return `test-${slug}-${process.pid}-${Date.now()}`;
}

/**
 * Bundles workflows/ once; pass the result to createWorker in each test of a file. `shortHeartbeats`
 * adds the test-only interceptor that shortens every heartbeat timeout to 3 s (crash tests).
 */
export async function bundleWorkflows(options: { shortHeartbeats?: boolean } = {}): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    ...(options.shortHeartbeats ? { workflowInterceptorModules: [require.resolve('./short-heartbeats-interceptor')] } : {}),
    logger: new DefaultLogger('WARN'),
  });
  return { code };
}
