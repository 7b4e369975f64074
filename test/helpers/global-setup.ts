import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/temporal/free-port';
import { startDevServer } from '../../src/temporal/dev-server';
import { bundleWorkflowsToFiles, TEST_TEMPORAL_ADDRESS_VAR } from './temporal-env';

/**
 * One real dev server (in memory, headless, free ports) for the whole integration run. Test files
 * inherit its address through the environment; `CAMPAIGN_SYNC_TEST_TEMPORAL_ADDRESS` reuses a
 * server someone already started. The workflow bundles are made once here too (bundleWorkflows).
 */
export default async function globalSetup(): Promise<void> {
  const bundles = mkdtempSync(join(tmpdir(), 'campaign-sync-bundles-'));
  (globalThis as { __campaignSyncBundles?: string }).__campaignSyncBundles = bundles;
  await bundleWorkflowsToFiles(bundles);
  if (process.env[TEST_TEMPORAL_ADDRESS_VAR]) return;
  const port = await freePort();
  const server = await startDevServer({ port, uiPort: await freePort(), headless: true });
  process.env[TEST_TEMPORAL_ADDRESS_VAR] = server.address;
  (globalThis as { __campaignSyncDevServer?: typeof server }).__campaignSyncDevServer = server;
}
