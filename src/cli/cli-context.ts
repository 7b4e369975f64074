import type { Client } from '@temporalio/client';
import type { CampaignSyncConfig, ClientConfig } from '../config/config-schema';
import { loadConfig, readSecret } from '../config/load-config';
import { CliUsageError } from '../errors/cli-usage-error';
import { NotFoundError } from '../errors/not-found-error';
import type { Operations } from '../operations/operations';
import { createStateStore } from '../store/create-state-store';
import type { StateStore } from '../store/state-store';
import { TASK_QUEUE, taskQueueProblem } from '../temporal/task-queues';
import { defaultActor, type CliIo } from './cli-io';
import { connectTemporal } from './connect-temporal';
import { printedLines } from './terminal-text';

export interface GlobalOptions {
  config?: string;
  client?: string;
  json?: boolean;
  by?: string;
  'task-queue'?: string;
}

/** One invocation's configuration, and its Temporal client and state store opened on first use. */
export interface CliContext {
  io: CliIo;
  json: boolean;
  by: string;
  config: CampaignSyncConfig;
  client: ClientConfig;
  taskQueue: string;
  temporal(): Promise<Client>;
  store(): Promise<StateStore>;
  operations(): Promise<Operations>;
  /** Prints `value` as JSON with --json, otherwise the lines `human` gives. */
  print(value: unknown, human: () => string[]): void;
  close(): Promise<void>;
}

export function createCliContext(io: CliIo, options: GlobalOptions): CliContext {
  const config = loadConfig(options.config ?? io.env.CAMPAIGN_SYNC_CONFIG ?? 'config/demo.json');
  const client = pickClient(config, options.client);
  let temporal: Promise<Client> | undefined;
  let store: Promise<StateStore> | undefined;
  const ctx: CliContext = {
    io,
    json: Boolean(options.json),
    by: options.by ?? defaultActor(io.env),
    config,
    client,
    taskQueue: taskQueueOf(options, io.env),
    temporal: () => (temporal ??= connectTemporal(io.env)),
    store: () =>
      (store ??= createStateStore(
        config.store.kind === 'sqlite'
          ? config.store
          : { kind: 'postgres', url: readSecret(config.store.url, io.env), poolSize: config.store.poolSize },
      )),
    async operations() {
      return { config, client, temporal: await ctx.temporal(), store: await ctx.store(), taskQueue: ctx.taskQueue };
    },
    print(value, human) {
      if (ctx.json) io.out(JSON.stringify(value, null, 2));
      // Each human line is one line: a line break inside CRM text must not start a line of its own.
      else for (const line of printedLines(human())) io.out(line);
    },
    async close() {
      await Promise.allSettled([temporal?.then((c) => c.connection.close()), store?.then((s) => s.close())]);
    },
  };
  return ctx;
}

/** --task-queue, else CAMPAIGN_SYNC_TASK_QUEUE, else the default; a name the worker would refuse is a usage error naming where it came from. */
function taskQueueOf(options: GlobalOptions, env: NodeJS.ProcessEnv): string {
  const [name, from] =
    options['task-queue'] !== undefined
      ? [options['task-queue'], '--task-queue']
      : env.CAMPAIGN_SYNC_TASK_QUEUE !== undefined
        ? [env.CAMPAIGN_SYNC_TASK_QUEUE, 'CAMPAIGN_SYNC_TASK_QUEUE']
        : [TASK_QUEUE, 'the default'];
  const problem = taskQueueProblem(name);
  if (problem) throw new CliUsageError(`${from}: the task queue name ${problem}`);
  return name;
}

function pickClient(config: CampaignSyncConfig, key: string | undefined): ClientConfig {
  const known = config.clients.map((c) => c.key).join(', ');
  if (key === undefined) {
    if (config.clients.length === 1) return config.clients[0] as ClientConfig;
    throw new CliUsageError(`the configuration has several clients (${known}): choose one with --client <key>`);
  }
  const client = config.clients.find((c) => c.key === key);
  if (!client) throw new NotFoundError('client', key, `configured clients: ${known}`);
  return client;
}
