import { join } from 'node:path';
import { smokeWorkflowId } from '../../workflows/ids';
import { smokeWorkflow } from '../../workflows/smoke';
import { loadRuntimeEnv, type RuntimeEnv } from '../config/runtime-env';
import { createLogger } from '../logger';
import { connectClient, connectWorker } from '../temporal/connect';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { installRuntimeLogger } from '../temporal/runtime-logger';
import { TASK_QUEUE } from '../temporal/task-queues';
import { createWorker } from '../worker';

/**
 * `npm start`: the embedded stack in one process tree. Starts (or reuses) the dev server, runs the
 * worker, proves the path with one workflow, then keeps the worker running (`--once` exits).
 */
async function main(argv: string[]): Promise<number> {
  const once = argv.includes('--once');
  const env = loadRuntimeEnv();
  const logger = createLogger({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, format: env.LOG_FORMAT });
  installRuntimeLogger(logger);
  const server = await embeddedServer(env);
  const address = env.TEMPORAL_ADDRESS ?? server?.address ?? '';
  const { connection, namespace } = await connectWorker(address);
  const worker = await createWorker({ connection, namespace });
  console.log(`Worker polling task queue "${TASK_QUEUE}" on ${address} (namespace ${namespace})`);
  const shutdown = () => worker.shutdown();
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const running = worker.run();
  const client = await connectClient(address);
  const workflowId = smokeWorkflowId('npm-start', new Date().toISOString());
  const result = await client.workflow.execute(smokeWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [{ requestedBy: 'npm-start' }],
  });
  console.log(`${result.greeting} (workflow ${workflowId})`);
  if (server) console.log(`Web UI: ${server.uiUrl}/namespaces/${namespace}/workflows`);
  if (once) worker.shutdown();
  else console.log('The worker keeps running; press Ctrl-C to stop.');
  await running;
  await client.connection.close();
  await connection.close();
  await server?.stop();
  return 0;
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
  const how = server.process ? 'started' : 'reused';
  console.log(`Temporal dev server ${how} at ${server.address}; its database is ${join(env.dataDir, 'temporal.db')}`);
  return server;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
