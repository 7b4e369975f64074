import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuntimeEnv } from '../config/runtime-env';
import { startDevServer } from '../temporal/dev-server';
import { processIo } from './cli-io';
import { printError } from './print-error';

/**
 * `npm run dev:server`: starts the embedded Temporal dev server in the background (or reuses a
 * running one) with its database under the data folder; `-- --stop` stops the one it started.
 */
async function main(argv: string[]): Promise<void> {
  const env = loadRuntimeEnv();
  const pidFile = join(env.dataDir, 'temporal.pid');
  if (argv.includes('--stop')) {
    stopBackgroundServer(pidFile);
    return;
  }
  const server = await startDevServer({
    port: env.CAMPAIGN_SYNC_DEV_SERVER_PORT,
    uiPort: env.CAMPAIGN_SYNC_DEV_UI_PORT,
    dbFile: join(env.dataDir, 'temporal.db'),
    logFile: join(env.dataDir, 'temporal.log'),
    detached: true,
  });
  if (server.process?.pid) writeFileSync(pidFile, String(server.process.pid));
  const state = server.process ? `started (pid ${server.process.pid})` : 'already running, reused';
  console.log(`Temporal dev server ${state} at ${server.address}`);
  console.log(`Web UI: ${server.uiUrl}`);
  console.log(`Database: ${join(env.dataDir, 'temporal.db')}; stop it with: npm run dev:server -- --stop`);
}

function stopBackgroundServer(pidFile: string): void {
  if (!existsSync(pidFile)) {
    console.log('No dev server started by campaign-sync is recorded; nothing to stop.');
    return;
  }
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
    console.log(`Stopped the Temporal dev server (pid ${pid}).`);
  } catch {
    console.log(`The Temporal dev server (pid ${pid}) was not running.`);
  }
  rmSync(pidFile);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  printError(processIo(), error);
  process.exit(1);
});
