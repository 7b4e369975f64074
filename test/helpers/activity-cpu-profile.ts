// Benchmarks only: a CPU profile of every attempt of the named activities in a worker process, from
// its start to its settling, so the rest of the day does not drown it. Set
// CAMPAIGN_SYNC_ACTIVITY_CPU_PROF=<dir> and CAMPAIGN_SYNC_ACTIVITY_CPU_PROF_NAME=<activity>[,<activity>...] for the
// worker process; attempt n writes <dir>/<activity>-<n>-<pid>.cpuprofile. Attempts that overlap
// share the first one's profile (one profiler per process).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';

export const ACTIVITY_CPU_PROF_VAR = 'CAMPAIGN_SYNC_ACTIVITY_CPU_PROF';

/** Wraps an activity call in a profile when `name` is one asked for; otherwise calls it as is. */
export function activityCpuProfiler(env: NodeJS.ProcessEnv = process.env): <T>(name: string, call: () => T) => T {
  const dir = env[ACTIVITY_CPU_PROF_VAR];
  const wanted = new Set((env[`${ACTIVITY_CPU_PROF_VAR}_NAME`] ?? '').split(',').filter(Boolean));
  if (!dir || wanted.size === 0) return (_name, call) => call();
  let attempt = 0;
  let busy = false;
  return (name, call) => {
    if (!wanted.has(name) || busy) return call();
    busy = true;
    const n = ++attempt;
    const session = new Session();
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.start');
    const stop = () =>
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(join(dir, `${name}-${n}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        session.disconnect();
        busy = false;
      });
    const result = call();
    Promise.resolve(result).then(stop, stop);
    return result;
  };
}
