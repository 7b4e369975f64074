import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { ActivityDependencies } from '../../activities/deps';
import type { EvaluateGuardInput, GuardVerdict } from '../../activities/export-types';
import { createExportActivities } from '../../activities/export';
import { parseConfig } from '../../src/config/load-config';
import { demoConfig } from '../../src/demo/demo-config';
import { listConfig } from '../../src/sync/config-lookup';

/** The run the guard evaluates: list newsletter of the demo client. */
export const GUARD_REF = { client: 'demo', listKey: 'newsletter', runId: 'run-today' };

/**
 * The evaluateGuard activity on the demo configuration, with a last good run of `lastGood.count`
 * recipients and no Optimizely (a run with a last good run counts nothing there). Tests set the
 * limits on `list.guard`; `logged` holds what the activity logged at WARN and above.
 */
export function guardOnDemo() {
  const logged: LogEntry[] = [];
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN', (entry) => logged.push(entry)) });
  const config = parseConfig(demoConfig(), 'test', '/tmp');
  const { list } = listConfig(config, GUARD_REF.client, GUARD_REF.listKey);
  const lastGood = { count: 0 };
  const deps = {
    config,
    store: { runs: { lastGood: async () => ({ runId: 'run-yesterday', snapshot: { count: lastGood.count } }) } },
    optimizely: () => {
      throw new Error('a run with a last good run counts nothing at Optimizely');
    },
  } as unknown as ActivityDependencies;
  const evaluate = (input: Omit<EvaluateGuardInput, keyof typeof GUARD_REF>) =>
    env.run(createExportActivities(deps).evaluateGuard, { ...GUARD_REF, ...input }) as Promise<GuardVerdict>;
  return { list, lastGood, logged, evaluate };
}
