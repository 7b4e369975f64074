// One strategy on a fresh stack: its own copy of the demo CRM, its own simulator (child process),
// state store and worker (child process). Day 1 fills the newsletter list; before each measured day
// (2 … `days`) a day of churn is applied to the CRM copy; each of those days' list syncs is measured. Offers is disabled, so the simulator's request log
// holds the newsletter's calls alone.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { createStateStore } from '../../src/store/create-state-store';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId, listSyncWorkflowId } from '../../workflows/ids';
import { startWorkerProcess, type WorkerProcessSpec } from '../../test/helpers/worker-process';
import { processCpuMs, startChildSimulator } from '../soap-refill/start-child';
import { applyChurn, type Churn } from './churn';
import { activitySeconds } from './activity-times';
import { readRequestLog, type SoapTraffic } from './soap-traffic';

export const CLIENT = 'bench';
export const LIST = 'newsletter';
export type Strategy = 'refresh' | 'reconcile';

export interface StrategyResult {
  strategy: Strategy;
  /** The measured day: 2 is the day after the fill, later days are the steady state. */
  day: number;
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
  /**
   * CPU seconds the worker process (all its threads) and the simulator used during the measured
   * daily sync: less swayed by other sessions on the machine than the wall time.
   */
  cpuSeconds: { worker: number; simulator: number };
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
  days = 2,
): Promise<StrategyResult[]> {
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
    const results: StrategyResult[] = [];
    for (let day = 2; day <= days; day += 1) {
      const churn = applyChurn(crmFile, day);
      log(`${strategy}: churn ${JSON.stringify(churn)}; day ${day} measured`);
      await fetch(`${sim.url}/admin/requests`, { method: 'DELETE' });
      const cpuBefore = { worker: processCpuMs(worker.child.pid ?? -1), simulator: sim.cpuMs() };
      const list = await runDaily(`day${day}`);
      const cpuSeconds = {
        worker: (processCpuMs(worker.child.pid ?? -1) - cpuBefore.worker) / 1000,
        simulator: (sim.cpuMs() - cpuBefore.simulator) / 1000,
      };
      const verified = list.verifiedCount ?? 0;
      results.push({ ...(await measuredDay(client, sim.url, raw.store.file as string, strategy, verified)), day, churn, cpuSeconds });
    }
    return results;
  } finally {
    for (const stop of stops) await stop();
  }
}

/** What the simulator's request log, the list-sync workflow's history and the run's counts say of the day just run. */
async function measuredDay(
  client: Client,
  simUrl: string,
  storeFile: string,
  strategy: Strategy,
  verifiedCount: number,
): Promise<Omit<StrategyResult, 'day' | 'churn' | 'cpuSeconds'>> {
  const traffic = await readRequestLog(simUrl);
  const described = await client.workflow.getHandle(listSyncWorkflowId(CLIENT, LIST)).describe();
  const activities = await activitySeconds(client, listSyncWorkflowId(CLIENT, LIST));
  const listSyncSeconds = ((described.closeTime?.getTime() ?? Number.NaN) - described.startTime.getTime()) / 1000;
  const store = await createStateStore({ kind: 'sqlite', file: storeFile });
  const run = await store.runs.lastGood(CLIENT, LIST).finally(() => store.close());
  const counts = (run?.counts ?? {}) as Record<string, number>;
  const n = (key: string) => counts[key] ?? 0;
  return {
    strategy,
    listRecipients: verifiedCount,
    traffic,
    recipientsWritten: strategy === 'refresh' ? verifiedCount : n('reconcile.remove') + n('reconcile.add') + n('reconcile.update'),
    listSyncSeconds,
    windowSeconds: counts.windowSeconds ?? Number.NaN,
    activities,
    counts,
  };
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
