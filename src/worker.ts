import {
  Worker,
  type ActivityInterceptorsFactory,
  type NativeConnection,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig } from './config/load-config';
import { loadRuntimeEnv } from './config/runtime-env';
import { buildDependencies } from './stack/build-dependencies';
import { createLogger } from './logger';
import { metricsInterceptor } from './metrics/metrics-interceptor';
import { startMetricsServer } from './metrics/metrics-server';
import { createConfiguredMetrics } from './metrics/consent-objectives';
import { connectWorker } from './temporal/connect';
import { installRuntimeLogger } from './temporal/runtime-logger';
import { prebuiltWorkflowBundle } from './temporal/workflow-bundle';
import { TASK_QUEUE } from './temporal/task-queues';

export interface CampaignWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Tests pass their own queue so parallel tests never steal each other's tasks. */
  taskQueue?: string;
  /** The real activities (`createActivities(deps)`), or fakes in workflow tests. */
  activities: object;
  /** A prebuilt bundle (tests bundle once per file); else the one `npm run build` wrote; else bundled at start. */
  workflowBundle?: WorkflowBundle;
  /** Activity interceptors, e.g. the metrics recorder (src/metrics/metrics-interceptor.ts). */
  activityInterceptors?: ActivityInterceptorsFactory[];
}

/** Builds the worker that serves every campaign-sync workflow and activity on one task queue. */
export function createWorker(options: CampaignWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...workflowSource(options.workflowBundle ?? prebuiltWorkflowBundle()),
    activities: options.activities,
    ...(options.activityInterceptors ? { interceptors: { activity: options.activityInterceptors } } : {}),
    // Lets an in-flight batch finish and report on SIGTERM instead of being cut off mid-call.
    shutdownGraceTime: '30s',
    // Heartbeats reach the server at least every 5 s (not up to 80% of the heartbeat timeout): an
    // attempt whose heartbeat timed out learns within seconds that a retry took over, and stops.
    maxHeartbeatThrottleInterval: '5s',
  });
}

function workflowSource(bundle: WorkflowBundleOption | undefined): { workflowBundle: WorkflowBundleOption } | { workflowsPath: string } {
  return bundle ? { workflowBundle: bundle } : { workflowsPath: require.resolve('../workflows') };
}

async function main(): Promise<void> {
  const env = loadRuntimeEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  installRuntimeLogger(logger, { metricsBindAddress: env.CAMPAIGN_SYNC_SDK_METRICS_ADDRESS });
  const { connection, namespace } = await connectWorker(env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.CAMPAIGN_SYNC_DEV_SERVER_PORT}`);
  const config = loadConfig(env.CAMPAIGN_SYNC_CONFIG);
  const deps = await buildDependencies(config);
  // Started now so the first response window does not wait for it; a failure here is the window's to report.
  deps.responseThread?.ready().catch((error: unknown) => logger.warn({ error: String(error) }, 'Response ingestion thread did not start'));
  const metrics = env.CAMPAIGN_SYNC_METRICS_PORT === undefined ? undefined : createConfiguredMetrics(config);
  const metricsServer =
    metrics &&
    (await startMetricsServer({
      registry: metrics.registry,
      port: env.CAMPAIGN_SYNC_METRICS_PORT ?? 0,
      host: env.CAMPAIGN_SYNC_METRICS_HOST,
    }));
  const activityInterceptors = metrics && [metricsInterceptor(metrics)];
  const taskQueue = env.CAMPAIGN_SYNC_TASK_QUEUE;
  const worker = await createWorker({ connection, namespace, taskQueue, activities: createActivities(deps), activityInterceptors });
  logger.info({ taskQueue, namespace, metrics: metricsServer?.url, sdkMetrics: env.CAMPAIGN_SYNC_SDK_METRICS_ADDRESS }, 'Worker started');
  await worker.run();
  await metricsServer?.close();
  await deps.close();
  await connection.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
