import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Calls the benchmark simulator's request log keeps: a day at 1,000,000 recipients makes about 2,100
 * (an addAll3 and an unsubscribe check per 1,000 recipients), more than the simulator's default ring. */
export const BENCH_REQUEST_LOG_CAPACITY = 20_000;

/** Starts the simulator in a child process on a fresh SQLite file; resolves with its URL. */
export async function startChildSimulator(seed: unknown): Promise<{ url: string; cpuMs(): number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'soap-refill-'));
  const tsx = join(__dirname, '../../node_modules/.bin/tsx');
  const args = [join(__dirname, 'simulator-child.ts'), join(dir, 'sim.db'), JSON.stringify(seed)];
  // BENCH_SIM_CPU_PROF=<dir>: the simulator writes a CPU profile of its whole life there when it stops.
  const profileDir = process.env.BENCH_SIM_CPU_PROF;
  const child: ChildProcess = profileDir
    ? spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--require', 'tsx/cjs', ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(tsx, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const { url, pid } = JSON.parse(firstLine) as { url: string; pid: number };
  return {
    url,
    cpuMs: () => processCpuMs(pid),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process from /proc (Linux); NaN where /proc is missing. */
export function processCpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** utime + stime of one thread of a process (its task's stat; the first thread's id is the process's). */
export function threadCpuMs(pid: number, tid: number): number {
  return statCpuMs(`/proc/${pid}/task/${tid}/stat`);
}

function statCpuMs(file: string): number {
  try {
    const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name; ticks are 10 ms on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
