import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig } from './config/load-config';
import { loadRuntimeEnv } from './config/runtime-env';
import { buildDependencies } from './stack/build-dependencies';
import { createLogger } from './logger';
import { connectWorker } from './temporal/connect';
import { installRuntimeLogger } from './temporal/runtime-logger';
import { TASK_QUEUE } from './temporal/task-queues';

export interface CampaignWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Tests pass their own queue so parallel tests never steal each other's tasks. */
  taskQueue?: string;
  /** The real activities (`createActivities(deps)`), or fakes in workflow tests. */
  activities: object;
  /** A prebuilt bundle (tests bundle once per file); otherwise bundled from workflows/. */
  workflowBundle?: WorkflowBundle;
}

/** Builds the worker that serves every campaign-sync workflow and activity on one task queue. */
export function createWorker(options: CampaignWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: options.activities,
    // Lets an in-flight batch finish and report on SIGTERM instead of being cut off mid-call.
    shutdownGraceTime: '30s',
  });
}

async function main(): Promise<void> {
  const env = loadRuntimeEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  installRuntimeLogger(logger);
  const { connection, namespace } = await connectWorker(env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.CAMPAIGN_SYNC_DEV_SERVER_PORT}`);
  const config = loadConfig(env.CAMPAIGN_SYNC_CONFIG);
  const deps = await buildDependencies(config);
  const worker = await createWorker({ connection, namespace, activities: createActivities(deps) });
  logger.info({ taskQueue: TASK_QUEUE, namespace }, 'Worker started');
  await worker.run();
  await deps.close();
  await connection.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
