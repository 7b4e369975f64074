// A campaign-sync worker in a process of its own, so a test (or a benchmark) can kill it with
// SIGKILL mid-activity and measure its memory. Run as a script: `node -r tsx/cjs worker-process.ts
// <spec.json>`; start it from a test with `startWorkerProcess`.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { parseConfig } from '../../src/config/load-config';
import { buildDependencies } from '../../src/stack/build-dependencies';
import { createWorker } from '../../src/worker';
import { TEST_TEMPORAL_ADDRESS_VAR } from './temporal-env';
import { activityCpuProfiler } from './activity-cpu-profile';
import { windowCpuProfiler } from './window-cpu-profile';

/** What the child reads from its JSON file: the raw configuration, where it lives, and its queue. */
export interface WorkerProcessSpec {
  /** The unparsed configuration object (what `parseConfig` takes); secrets stay env references. */
  rawConfig: unknown;
  /** Relative paths in the configuration resolve against this folder. */
  configDir: string;
  taskQueue: string;
  /** A file holding a bundle from `bundleWorkflowCode`, so each child skips bundling. */
  workflowBundlePath: string;
}

/** Messages the child sends over IPC: loaded, ready once polling, and the start of every activity attempt. */
export type WorkerProcessMessage = { event: 'loaded' } | { event: 'ready' } | { event: 'activity-started'; name: string; input: unknown };

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the child reported an activity start matching `match`. */
  waitForActivity(match: (name: string, input: unknown) => boolean, timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown, no heartbeat, no completion; resolves when the process is gone. */
  kill(): Promise<void>;
}

/** A forked worker that has loaded its code and opened its ports, waiting to be told to poll. */
export interface PreparedWorkerProcess {
  child: ChildProcess;
  /** Creates the worker and resolves once it polls the task queue. */
  start(timeoutMs?: number): Promise<WorkerProcess>;
  kill(): Promise<void>;
}

/**
 * Forks the worker script with tsx and resolves once it is loaded. Loading takes seconds, so a test
 * prepares the replacement worker before killing the first and only then lets it poll. Every wait here
 * defaults to 90 s, below jest's 120 s per test: loading, polling and an activity's start take seconds
 * on a quiet machine and several times that on a loaded one (see test/helpers/wait-for.ts).
 */
export async function prepareWorkerProcess(
  specFile: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 90_000,
): Promise<PreparedWorkerProcess> {
  // BENCH_WORKER_CPU_PROF=<dir>: the worker's threads (the live read's among them) write CPU profiles there when
  // they end (the process itself is killed, so profile its activities with CAMPAIGN_SYNC_ACTIVITY_CPU_PROF).
  const profileDir = env.BENCH_WORKER_CPU_PROF;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(__filename, [specFile], {
    execArgv: ['--require', 'tsx/cjs', ...profile],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listeners = new Set<(m: WorkerProcessMessage) => void>();
  child.on('message', (m: WorkerProcessMessage) => listeners.forEach((l) => l(m)));
  const waitForMessage = (match: (m: WorkerProcessMessage) => boolean, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        listeners.delete(listener);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const listener = (m: WorkerProcessMessage) => match(m) && done();
      const onExit = (code: number | null) => done(new Error(`worker process exited (${code}) while waiting`));
      const timer = setTimeout(() => done(new Error(`worker process: no matching message within ${ms} ms`)), ms);
      listeners.add(listener);
      child.once('exit', onExit);
    });
  await waitForMessage((m) => m.event === 'loaded', timeoutMs);
  const kill = () => killProcess(child);
  const running: WorkerProcess = {
    child,
    waitForActivity: (match, ms = 90_000) => waitForMessage((m) => m.event === 'activity-started' && match(m.name, m.input), ms),
    kill,
  };
  return {
    child,
    kill,
    async start(ms = 90_000) {
      const ready = waitForMessage((m) => m.event === 'ready', ms);
      child.send({ command: 'start' });
      await ready;
      return running;
    },
  };
}

/** Forks, loads and starts a worker process: resolves once it polls the task queue. */
export async function startWorkerProcess(specFile: string, env: NodeJS.ProcessEnv = process.env): Promise<WorkerProcess> {
  return (await prepareWorkerProcess(specFile, env)).start();
}

function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Wraps every activity so the parent learns when an attempt starts (inputs are references only). */
function announced(activities: Record<string, unknown>): Record<string, unknown> {
  const profile = windowCpuProfiler();
  const profiled = activityCpuProfiler();
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (input: unknown, ...rest: unknown[]) => {
        process.send?.({ event: 'activity-started', name, input } satisfies WorkerProcessMessage);
        profile(name);
        return profiled(name, () => (fn as (...args: unknown[]) => unknown)(input, ...rest));
      },
    ]),
  );
}

async function main(specFile: string): Promise<void> {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as WorkerProcessSpec;
  const address = process.env[TEST_TEMPORAL_ADDRESS_VAR];
  if (!address) throw new Error(`${TEST_TEMPORAL_ADDRESS_VAR} is unset`);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = parseConfig(spec.rawConfig, specFile, spec.configDir);
  const deps = await buildDependencies(config);
  const connection = await NativeConnection.connect({ address });
  const activities = announced(createActivities(deps));
  const code = readFileSync(spec.workflowBundlePath, 'utf8');
  const polling: { worker?: Worker } = {};
  // A parent that goes away without killing us must not leave a worker polling forever.
  process.on('disconnect', () => (polling.worker ? polling.worker.shutdown() : process.exit(0)));
  const started = new Promise<void>((resolve) => process.on('message', (m: { command?: string }) => m.command === 'start' && resolve()));
  process.send?.({ event: 'loaded' } satisfies WorkerProcessMessage);
  await started;
  const worker = await createWorker({ connection, namespace: 'default', taskQueue: spec.taskQueue, activities, workflowBundle: { code } });
  polling.worker = worker;
  const running = worker.run();
  process.send?.({ event: 'ready' } satisfies WorkerProcessMessage);
  await running;
  await deps.close();
  await connection.close();
}

if (require.main === module) {
  main(process.argv[2] ?? '').catch((error: unknown) => {
    process.stderr.write(`worker process: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
