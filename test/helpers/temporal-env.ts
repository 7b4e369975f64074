import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Files holding the run's bundles, written once by the global setup (see bundleWorkflowsToFiles). */
export const TEST_WORKFLOW_BUNDLE_VARS = {
  plain: 'CAMPAIGN_SYNC_TEST_WORKFLOW_BUNDLE',
  shortHeartbeats: 'CAMPAIGN_SYNC_TEST_WORKFLOW_BUNDLE_SHORT_HEARTBEATS',
} as const;

/**
 * Bundles workflows/ once; pass the result to createWorker in each test of a file. `shortHeartbeats`
 * adds the test-only interceptor that shortens every heartbeat timeout to 3 s (crash tests). Within an
 * integration run the global setup has bundled both kinds already: reading its file saves each test
 * file seconds of webpack (jest gives every file fresh modules, so nothing else is shared).
 */
export async function bundleWorkflows(options: { shortHeartbeats?: boolean } = {}): Promise<WorkflowBundle> {
  const file = process.env[TEST_WORKFLOW_BUNDLE_VARS[options.shortHeartbeats ? 'shortHeartbeats' : 'plain']];
  if (file !== undefined && existsSync(file)) return { code: readFileSync(file, 'utf8') };
  return bundleNow(options);
}

async function bundleNow(options: { shortHeartbeats?: boolean }): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    ...(options.shortHeartbeats ? { workflowInterceptorModules: [require.resolve('./short-heartbeats-interceptor')] } : {}),
    logger: new DefaultLogger('WARN'),
  });
  return { code };
}

/**
 * For the global setup: bundles both kinds into `dir` and points the environment variables the test
 * files inherit at them. The bundles are of workflows/ as it is when the run starts.
 */
export async function bundleWorkflowsToFiles(dir: string): Promise<void> {
  for (const kind of ['plain', 'shortHeartbeats'] as const) {
    const file = join(dir, `${kind}.js`);
    writeFileSync(file, (await bundleNow({ shortHeartbeats: kind === 'shortHeartbeats' })).code);
    process.env[TEST_WORKFLOW_BUNDLE_VARS[kind]] = file;
  }
}
