// One strategy on a fresh stack: its own copy of the demo CRM, its own simulator (child process),
// state store and worker (child process). Day 1 fills the newsletter list; the churn is applied to
// the CRM copy; day 2 is the measured list sync. Offers is disabled, so the simulator's request log
// holds the newsletter's calls alone.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { createStateStore } from '../../src/store/create-state-store';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId, listSyncWorkflowId } from '../../workflows/ids';
import { startWorkerProcess, type WorkerProcessSpec } from '../../test/helpers/worker-process';
import { startChildSimulator } from '../soap-refill/start-child';
import { applyChurn, type Churn } from './churn';
import { activitySeconds } from './activity-times';
import { readRequestLog, type SoapTraffic } from './soap-traffic';

export const CLIENT = 'bench';
export const LIST = 'newsletter';
export type Strategy = 'refresh' | 'reconcile';

export interface StrategyResult {
  strategy: Strategy;
  churn: Churn;
  /** Recipients on the list after day 2 (verified count). */
  listRecipients: number;
  traffic: SoapTraffic;
  /** Recipients named in write calls: refresh's refill, or reconcile's removals + additions + updates. */
  recipientsWritten: number;
  /** Start to close of the day-2 list-sync workflow (server times). */
  listSyncSeconds: number;
  /** The incomplete window stored with the day-2 run. */
  windowSeconds: number;
  /** Seconds per activity type of the day-2 list sync (scheduled to completed). */
  activities: Record<string, number>;
  counts: Record<string, number>;
}

export async function runStrategy(
  strategy: Strategy,
  baseCrm: string,
  dir: string,
  address: string,
  client: Client,
  bundleFile: string,
  latencyMs: number,
): Promise<StrategyResult> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const crmFile = join(dir, 'crm.sqlite');
  copyFileSync(baseCrm, crmFile);
  const sim = await startChildSimulator(demoSimulatorSeed());
  const stops: Array<() => Promise<void>> = [() => sim.stop()];
  try {
    await setLatency(sim.url, latencyMs);
    process.env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
    const raw = demoConfig() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw configuration
    raw.dataDir = join(dir, 'run');
    Object.assign(raw.clients[0], { key: CLIENT, endpoint: sim.url });
    Object.assign(raw.clients[0].lists[0], { strategy });
    Object.assign(raw.clients[0].lists[1], { enabled: false });
    raw.crm.file = crmFile;
    raw.store.file = join(dir, 'state.sqlite');
    const taskQueue = `bench-reconcile-${process.pid}-${strategy}`;
    const spec: WorkerProcessSpec = { rawConfig: raw, configDir: dir, taskQueue, workflowBundlePath: bundleFile };
    writeFileSync(join(dir, 'worker-spec.json'), JSON.stringify(spec));
    const worker = await startWorkerProcess(join(dir, 'worker-spec.json'), {
      ...process.env,
      CAMPAIGN_SYNC_TEST_TEMPORAL_ADDRESS: address,
    });
    stops.unshift(() => worker.kill());

    const runDaily = async (day: string) => {
      const status = await client.workflow.execute(dailySyncWorkflow, {
        taskQueue,
        workflowId: dailySyncWorkflowId(CLIENT, `${strategy}-${day}-${new Date().toISOString()}`),
        args: [{ client: CLIENT }],
      });
      const list = status.lists[LIST]!;
      if (list.state !== 'ready') throw new Error(`${strategy} ${day}: list ${LIST} ended ${list.state}: ${list.note ?? ''}`);
      return list;
    };
    log(`${strategy}: day 1 fills the list`);
    await runDaily('day1');
    const churn = applyChurn(crmFile);
    log(`${strategy}: churn ${JSON.stringify(churn)}; day 2 measured`);
    await fetch(`${sim.url}/admin/requests`, { method: 'DELETE' });
    const list = await runDaily('day2');
    const traffic = await readRequestLog(sim.url);
    const described = await client.workflow.getHandle(listSyncWorkflowId(CLIENT, LIST)).describe();
    const activities = await activitySeconds(client, listSyncWorkflowId(CLIENT, LIST));
    const listSyncSeconds = ((described.closeTime?.getTime() ?? Number.NaN) - described.startTime.getTime()) / 1000;
    const store = await createStateStore({ kind: 'sqlite', file: raw.store.file as string });
    const run = await store.runs.lastGood(CLIENT, LIST).finally(() => store.close());
    const counts = (run?.counts ?? {}) as Record<string, number>;
    const n = (key: string) => counts[key] ?? 0;
    return {
      strategy,
      churn,
      listRecipients: list.verifiedCount ?? 0,
      traffic,
      recipientsWritten:
        strategy === 'refresh' ? (list.verifiedCount ?? 0) : n('reconcile.remove') + n('reconcile.add') + n('reconcile.update'),
      listSyncSeconds,
      windowSeconds: counts.windowSeconds ?? Number.NaN,
      activities,
      counts,
    };
  } finally {
    for (const stop of stops) await stop();
  }
}

/** A per-call delay the simulator adds, standing in for the real service's network and server time. */
async function setLatency(url: string, latencyMs: number): Promise<void> {
  const response = await fetch(`${url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs }),
  });
  if (!response.ok) throw new Error(`setting the simulator latency answered ${response.status}`);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
