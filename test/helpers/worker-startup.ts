// Starts the real worker (src/worker.ts's main) in a process of its own, the way the image or a
// developer does, and measures how long it takes until it logs "Worker started" (connected, code
// loaded, workflows bundled or the prebuilt bundle loaded, polling). Used by the build test and by
// bench/worker-startup.
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { demoConfig } from '../../src/demo/demo-config';

export const ROOT = join(__dirname, '../..');

/** `dist`: the compiled worker with the prebuilt bundle; `tsx`: the TypeScript sources, bundling at start. */
export type WorkerMode = 'dist' | 'tsx';

export interface StartedWorker {
  startupMs: number;
  output: () => string;
  stop(): Promise<number | null>;
}

/** `npm run build` in the repository: dist/ and dist/workflow-bundle.js. */
export async function buildDist(): Promise<void> {
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000 });
}

/** The production dependency tree as package folders, one per line, for the guard's environment. */
export async function writeProductionPackages(file: string): Promise<void> {
  const ls = promisify(execFile)('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  // npm ls exits non-zero for problems it also prints (an extraneous package); the list still holds.
  const { stdout } = await ls.catch((error: { stdout?: string }) => {
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  writeFileSync(file, stdout);
}

/** A demo configuration whose files all live in `dir` (SQLite state store and an empty SQLite CRM). */
export function writeWorkerConfig(dir: string): string {
  const raw = demoConfig() as { dataDir: string; store: { file: string }; crm: { file: string } };
  Object.assign(raw, { dataDir: join(dir, 'data') });
  raw.store.file = join(dir, 'state.sqlite');
  raw.crm.file = join(dir, 'crm.sqlite');
  // The worker opens the CRM at start-up (it must exist) but reads it only when a list syncs.
  new Database(raw.crm.file).close();
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

export async function startWorker(mode: WorkerMode, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<StartedWorker> {
  const args =
    mode === 'dist'
      ? [
          ...(env.CAMPAIGN_SYNC_PRODUCTION_PACKAGES ? ['--require', join(__dirname, 'production-dependencies-guard.js')] : []),
          'dist/src/worker.js',
        ]
      : ['--import', 'tsx', 'src/worker.ts'];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker (${mode}) did not start within ${timeoutMs} ms:\n${text}`)), timeoutMs);
      child.stdout.on('data', () => text.includes('"Worker started"') && (clearTimeout(timer), resolve()));
      void exited.then(
        (code) => (clearTimeout(timer), reject(new Error(`worker (${mode}) exited with ${code} before it started:\n${text}`))),
      );
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { startupMs: Number(process.hrtime.bigint() - started) / 1e6, output: () => text, stop };
}
