import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { smokeWorkflow } from '../../../workflows/smoke';
import { TEST_TEMPORAL_ADDRESS_VAR } from '../../helpers/temporal-env';
import { buildDist, startWorker, writeProductionPackages, writeWorkerConfig } from '../../helpers/worker-startup';

// What the production image runs: `npm run build` (tsc to dist/ plus the workflow bundle built at
// build time), then `node dist/src/worker.js`. The worker runs with a guard that fails any import
// `npm ci --omit=dev` would not install, and must serve a workflow from the prebuilt bundle.

describe('the compiled worker (npm run build)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await buildDist();
    dir = mkdtempSync(join(tmpdir(), 'compiled-worker-'));
    await writeProductionPackages(join(dir, 'production-packages.txt'));
    env = {
      TEMPORAL_ADDRESS: process.env[TEST_TEMPORAL_ADDRESS_VAR],
      CAMPAIGN_SYNC_CONFIG: writeWorkerConfig(dir),
      CAMPAIGN_SYNC_DATA_DIR: join(dir, 'data'),
      CAMPAIGN_SYNC_TASK_QUEUE: `compiled-worker-${process.pid}`,
      CAMPAIGN_SYNC_PRODUCTION_PACKAGES: join(dir, 'production-packages.txt'),
    };
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on production dependencies only, from the prebuilt bundle, and runs a workflow', async () => {
    const worker = await startWorker('dist', env);
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection });
      const result = await client.workflow.execute(smokeWorkflow, {
        taskQueue: env.CAMPAIGN_SYNC_TASK_QUEUE as string,
        workflowId: `compiled-worker-smoke-${process.pid}`,
        args: [{ requestedBy: 'compiled-worker test' }],
      });
      expect(result).toEqual({ greeting: 'campaign-sync is up (asked by compiled-worker test)', taskQueue: env.CAMPAIGN_SYNC_TASK_QUEUE });
      // Bundling at start logs webpack's progress; the prebuilt bundle is loaded without it.
      expect(worker.output()).not.toMatch(/webpack|Workflow bundle created/i);
    } finally {
      await connection.close();
      expect(await worker.stop()).toBe(0);
    }
  });
});
