import { resolve } from 'node:path';
import { z } from 'zod';
import { TASK_QUEUE, taskQueueProblem } from '../temporal/task-queues';
import { RuntimeEnvError } from '../errors/runtime-env-error';

/**
 * A TCP port from an environment variable: plain decimal digits within bounds, white space around them
 * allowed. `z.coerce.number()` read an empty value (`CAMPAIGN_SYNC_METRICS_PORT=` in a compose file,
 * meant as "off") as port 0, a random port, and `1e3`, `0x1F90` or `8233.0` as ports nobody wrote.
 */
const portSchema = (min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'a port number written in digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(65535));

/**
 * The process-level settings of campaign-sync (where data lives, how to log, which embedded ports).
 * The Temporal connection itself follows @temporalio/envconfig (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*), read in `src/temporal/connect.ts`.
 */
export const runtimeEnvSchema = z.object({
  CAMPAIGN_SYNC_DATA_DIR: z.string().min(1).default('.data'),
  /** The JSON configuration file (clients, lists, CRM, state store). */
  CAMPAIGN_SYNC_CONFIG: z.string().min(1).default('config/demo.json'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  /** The task queue the worker polls (the CLI starts workflows on the same variable's queue). */
  CAMPAIGN_SYNC_TASK_QUEUE: z
    .string()
    .superRefine((name, ctx) => {
      const problem = taskQueueProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: `the task queue name ${problem}` });
    })
    .default(TASK_QUEUE),
  CAMPAIGN_SYNC_DEV_SERVER_PORT: portSchema(1).default(7233),
  CAMPAIGN_SYNC_DEV_UI_PORT: portSchema(1).default(8233),
  /** Port of the worker's Prometheus endpoint for campaign-sync's own metrics; off when unset (0: any free port). */
  CAMPAIGN_SYNC_METRICS_PORT: portSchema(0).optional(),
  /**
   * Interface that endpoint binds to. Loopback by default: the metrics are unauthenticated, so
   * reaching them from elsewhere is a deliberate choice (a container sets 0.0.0.0 and publishes the
   * port on the host's loopback, docker-compose.yml).
   */
  CAMPAIGN_SYNC_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** host:port where the Temporal SDK's metrics are served for Prometheus; a bare port binds loopback; off when unset. */
  CAMPAIGN_SYNC_SDK_METRICS_ADDRESS: z
    .string()
    .min(1)
    .transform((value) => (/^\d+$/.test(value) ? `127.0.0.1:${value}` : value))
    .optional(),
  /** Bearer token the simulator's admin surface requires (simulator CLI and `npm start`); generated when unset. */
  CAMPAIGN_SYNC_SIMULATOR_ADMIN_TOKEN: z.string().min(16).optional(),
});

export type RuntimeEnv = z.infer<typeof runtimeEnvSchema> & { dataDir: string };

/** Parses the environment once; fails listing every bad variable, not just the first. */
export function loadRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = runtimeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new RuntimeEnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.CAMPAIGN_SYNC_DATA_DIR) };
}
