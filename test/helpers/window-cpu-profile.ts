// Benchmarks only: a CPU profile of a worker process limited to the clear-to-ready windows, so the
// export and the ledger writes outside them do not drown what the refill costs. Set
// CAMPAIGN_SYNC_WINDOW_CPU_PROF=<dir> for the worker process: profiling starts at the first
// `refillList` attempt and stops at the `verifyList` attempt number CAMPAIGN_SYNC_WINDOW_CPU_PROF_LISTS
// (default 2, the demo's two lists), writing <dir>/worker-window-<pid>.cpuprofile.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';

export const WINDOW_CPU_PROF_VAR = 'CAMPAIGN_SYNC_WINDOW_CPU_PROF';

/** Called at every activity start; a no-op unless the variable is set. */
export function windowCpuProfiler(env: NodeJS.ProcessEnv = process.env): (activity: string) => void {
  const dir = env[WINDOW_CPU_PROF_VAR];
  if (!dir) return () => undefined;
  const lists = Number(env[`${WINDOW_CPU_PROF_VAR}_LISTS`] ?? 2);
  const session = new Session();
  let state: 'idle' | 'profiling' | 'done' = 'idle';
  let verified = 0;
  return (activity) => {
    if (state === 'idle' && activity === 'refillList') {
      state = 'profiling';
      session.connect();
      session.post('Profiler.enable', () => session.post('Profiler.start'));
    } else if (state === 'profiling' && activity === 'verifyList' && ++verified >= lists) {
      state = 'done';
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(join(dir, `worker-window-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        session.disconnect();
      });
    }
  };
}
