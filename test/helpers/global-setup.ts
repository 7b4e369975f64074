import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/temporal/free-port';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
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
  const server = await startOnFreePorts();
  process.env[TEST_TEMPORAL_ADDRESS_VAR] = server.address;
  (globalThis as { __campaignSyncDevServer?: typeof server }).__campaignSyncDevServer = server;
}

/**
 * The ports are picked before the dev server binds them, so another process on the machine (a second
 * test run, a PostgreSQL test server) may take one first and the server exits: try new ports, three
 * times in all, rather than fail every integration file.
 */
async function startOnFreePorts(): Promise<DevServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
    } catch (error) {
      if (attempt >= 3) throw error;
      console.warn(`The Temporal dev server did not start (attempt ${attempt} of 3), trying new ports: ${String(error)}`);
    }
  }
}
