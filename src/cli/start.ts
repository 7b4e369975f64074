import { join } from 'node:path';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId } from '../../workflows/ids';
import { createActivities } from '../../activities';
import { loadConfig } from '../config/load-config';
import { loadRuntimeEnv, type RuntimeEnv } from '../config/runtime-env';
import { createLogger } from '../logger';
import { buildDependencies } from '../stack/build-dependencies';
import { adminTokenFile, DEMO_CONFIG_FILE, ensureDemoCrm, provideDemoPassword, startDemoSimulator } from '../stack/demo-fixtures';
import { connectClient, connectWorker } from '../temporal/connect';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { installRuntimeLogger } from '../temporal/runtime-logger';
import { TASK_QUEUE } from '../temporal/task-queues';
import { createWorker } from '../worker';
import { applySchedules } from '../schedules/apply-schedules';
import { desiredSchedules } from '../schedules/desired-schedules';
import { printDailySummary } from './print-daily-summary';
import { processIo } from './cli-io';
import { MESSAGE_MAX, printError } from './print-error';
import { boundedLine, fieldLine, shownField } from './terminal-text';

/**
 * `npm start`: the embedded stack. Starts (or reuses) the dev server, the simulator and the demo CRM
 * (demo configuration only), runs the worker and one daily sync per client, prints a summary per
 * list, then keeps the worker running. `--once` exits: 0 only if every list ended ready.
 */
async function main(argv: string[]): Promise<number> {
  const once = argv.includes('--once');
  const contacts = Number(flag(argv, '--contacts') ?? 5000);
  const env = loadRuntimeEnv();
  installRuntimeLogger(createLogger({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, format: env.LOG_FORMAT }));
  const demo = !process.env.CAMPAIGN_SYNC_CONFIG;
  if (demo) provideDemoPassword();
  const config = loadConfig(demo ? DEMO_CONFIG_FILE : env.CAMPAIGN_SYNC_CONFIG);
  const simulator = demo ? await startDemoSimulator(config, env.CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN) : undefined;
  if (demo) {
    const crm = ensureDemoCrm(config, contacts, argv.includes('--regenerate'));
    console.log(
      `Optimizely simulator at ${simulator?.url}/soap11/ (admin under /admin/, bearer token in ${adminTokenFile(config)}); demo CRM ${crm.file}${crm.generated ? ` (generated, ${contacts} contacts)` : ''}`,
    );
  }
  const server = await embeddedServer(env);
  const address = env.TEMPORAL_ADDRESS ?? server?.address ?? '';
  const { connection, namespace } = await connectWorker(address);
  const deps = await buildDependencies(config);
  const worker = await createWorker({ connection, namespace, activities: createActivities(deps) });
  const running = worker.run();
  process.once('SIGINT', () => worker.shutdown());
  process.once('SIGTERM', () => worker.shutdown());
  console.log(fieldLine`Worker polling task queue "${TASK_QUEUE}" on ${address} (namespace ${namespace})`);
  const client = await connectClient(address);
  const schedules = await applySchedules(client, desiredSchedules(config, TASK_QUEUE), { taskQueue: TASK_QUEUE });
  if (schedules.length > 0)
    console.log(`Schedules: ${schedules.map((s) => `${shownField(s.scheduleId)} ${s.change}`).join(', ')} (campaign-sync schedules list)`);
  let allReady = true;
  for (const { key } of config.clients) {
    const workflowId = dailySyncWorkflowId(key, new Date().toISOString());
    console.log(fieldLine`Daily sync ${workflowId} started`);
    try {
      const status = await client.workflow.execute(dailySyncWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ client: key }] });
      await printDailySummary(status, deps.store);
      allReady &&= Object.values(status.lists).every((list) => list.state === 'ready');
    } catch (error) {
      allReady = false;
      const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
      console.error(`${fieldLine`Daily sync ${workflowId} failed`}: ${boundedLine(reason, MESSAGE_MAX)}`);
    }
    if (server) console.log(`Web UI: ${server.uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`);
  }
  if (once) worker.shutdown();
  else console.log('The worker keeps running; press Ctrl-C to stop.');
  await running;
  await deps.close();
  await client.connection.close();
  await connection.close();
  await simulator?.stop();
  await server?.stop();
  return allReady ? 0 : 1;
}

function flag(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

/** The dev server, unless TEMPORAL_ADDRESS points at a real cluster. */
async function embeddedServer(env: RuntimeEnv): Promise<DevServer | undefined> {
  if (env.TEMPORAL_ADDRESS) return undefined;
  const server = await startDevServer({
    port: env.CAMPAIGN_SYNC_DEV_SERVER_PORT,
    uiPort: env.CAMPAIGN_SYNC_DEV_UI_PORT,
    dbFile: join(env.dataDir, 'temporal.db'),
    logFile: join(env.dataDir, 'temporal.log'),
  });
  console.log(
    `Temporal dev server ${server.process ? 'started' : 'reused'} at ${server.address}; its database is ${join(env.dataDir, 'temporal.db')}`,
  );
  return server;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    printError(processIo(), error);
    process.exit(1);
  },
);
