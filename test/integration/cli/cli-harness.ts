import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/cli-io';
import { runCli } from '../../../src/cli/run-cli';
import type { SyncStack } from '../../helpers/sync-stack';
import { TEST_TEMPORAL_ADDRESS_VAR } from '../../helpers/temporal-env';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `campaign-sync` in process against a sync stack: its configuration written to a file, the
 * run's dev server, and the stack's task queue, so runs the CLI starts land on the stack's worker.
 */
export function cliFor(stack: SyncStack, extraEnv: NodeJS.ProcessEnv = {}) {
  const configFile = join(stack.dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(stack.rawConfig, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env[TEST_TEMPORAL_ADDRESS_VAR],
    CAMPAIGN_SYNC_CONFIG: configFile,
    CAMPAIGN_SYNC_TASK_QUEUE: stack.taskQueue,
    USER: 'tester',
    ...extraEnv,
  };
  return {
    configFile,
    run: (argv: string[], signal?: AbortSignal) => runCapture(argv, env, signal),
    /** Starts a long command (`status --watch`); `firstOutput` resolves once it printed something. */
    start(argv: string[]) {
      let printed: () => void = () => undefined;
      const firstOutput = new Promise<void>((resolve) => (printed = resolve));
      return { firstOutput, done: runCapture(argv, env, undefined, () => printed()) };
    },
    json: async <T>(argv: string[]): Promise<T> => {
      const result = await runCapture([...argv, '--json'], env);
      if (result.code !== 0) throw new Error(`campaign-sync ${argv.join(' ')} exited ${result.code}: ${result.err}`);
      return JSON.parse(result.out) as T;
    },
  };
}

export async function runCapture(argv: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal, onOut?: () => void): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => (out.push(t), onOut?.()), err: (t) => err.push(t), env, tty: false, signal };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
