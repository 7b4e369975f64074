// One benchmark size: demo CRM under .data/bench/, the simulator in a child process, the worker in
// a child process (its peak RSS sampled from /proc), one daily sync, then the plain soap baseline.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { parseConfig } from '../../src/config/load-config';
import { DEMO_CLIENT, DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId, listSyncWorkflowId } from '../../workflows/ids';
import type { WorkerProcess, WorkerProcessSpec } from '../../test/helpers/worker-process';
import { simulatorAdmin, startWorkerFleet, usePostgresStore, workSpread, type WorkSpread } from '../optimizely-budget/worker-fleet';
import { startChildSimulator } from '../soap-refill/start-child';
import { runBaseline, type BaselineResult } from './baseline';
import { listHistory, overlapSeconds, type ListHistory } from './history';

const CLIENT = 'bench';
const LIST = 'newsletter';
const OTHER_LIST = 'offers';

/** Where the state lives and how many worker processes share the task queue (more than one needs PostgreSQL). */
export interface Fleet {
  store: 'sqlite' | 'postgres';
  /** A fresh PostgreSQL database for this run (store `postgres`). */
  storeUrl?: string;
  workers: number;
  /** Refill chunk size the daily sync is started with; undefined keeps the workflow's default. */
  batchesPerActivity?: number;
}

const STORE_URL_VAR = 'CAMPAIGN_SYNC_BENCH_STORE_URL';

/** `optin`: the newsletter is an opt-in list, so every refill batch first asks Optimizely's unsubscribe list. */
export type ListVariant = 'regular' | 'optin';

export interface SizeResult {
  contacts: number;
  latencyMs: number;
  variant: ListVariant;
  /** Unsubscribe.containsAll calls the simulator answered during the daily run, and their server time (ms, in sum). */
  unsubscribeChecks: { calls: number; serverMs: number };
  sent: number;
  listRecipients: number;
  windowSeconds: number;
  refillPerSecond: number;
  peakRssMb: number;
  history: ListHistory;
  /** Seconds of the newsletter window during which the offers list's window was open too. */
  otherWindowOverlap: number;
  baseline: BaselineResult;
  wallSeconds: number;
  fleet: Fleet;
  /** The simulator's peak of SOAP calls in flight for the client during the daily run, and calls it refused. */
  simulator: { peak: number; refused: number; concurrency: number };
  spread: WorkSpread;
}

/** `latencyMs` is added by the simulator to every SOAP call, for the sync and the baseline alike. */
export async function runSize(
  contacts: number,
  latencyMs: number,
  address: string,
  client: Client,
  bundleFile: string,
  variant: ListVariant = 'regular',
  fleet: Fleet = { store: 'sqlite', workers: 1 },
): Promise<SizeResult> {
  const dir = resolve('.data/bench/daily-sync', String(contacts));
  const crmFile = join(dir, 'crm.sqlite');
  if (!existsSync(crmFile)) {
    mkdirSync(dir, { recursive: true });
    log(`generating the demo CRM with ${contacts} contacts`);
    generateDemoCrm({ contacts, file: `${crmFile}.tmp`, seed: 1 });
    renameSync(`${crmFile}.tmp`, crmFile);
  }
  rmSync(join(dir, 'state.sqlite'), { force: true });
  rmSync(join(dir, 'run'), { recursive: true, force: true });
  const seed = demoSimulatorSeed() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw seed
  if (variant === 'optin') seed.clients[0].lists[0].type = 'optin';
  const sim = await startChildSimulator(seed);
  const admin = simulatorAdmin(sim.url);
  const workers: WorkerProcess[] = [];
  try {
    await admin.setFaults({ latencyMs });
    process.env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
    const raw = demoConfig() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw configuration
    raw.dataDir = join(dir, 'run');
    Object.assign(raw.clients[0], { key: CLIENT, endpoint: sim.url });
    raw.crm.file = crmFile;
    if (fleet.store === 'postgres') {
      usePostgresStore(raw, STORE_URL_VAR);
      process.env[STORE_URL_VAR] = fleet.storeUrl;
    } else raw.store.file = join(dir, 'state.sqlite');
    if (variant === 'optin') raw.clients[0].lists[0].optinProcessId = 11;
    const config = parseConfig(raw, 'bench', dir);
    const taskQueue = `bench-daily-sync-${process.pid}-${contacts}`;
    const spec: WorkerProcessSpec = { rawConfig: raw, configDir: dir, taskQueue, workflowBundlePath: bundleFile };
    writeFileSync(join(dir, 'worker-spec.json'), JSON.stringify(spec));
    const env = { ...process.env, CAMPAIGN_SYNC_TEST_TEMPORAL_ADDRESS: address };
    workers.push(...(await startWorkerFleet({ file: join(dir, 'worker-spec.json'), env, taskQueue }, fleet.workers, client)));
    await admin.resetConcurrency();

    log(`daily sync: ${contacts} contacts, ${latencyMs} ms simulator latency per call, ${fleet.store} store, ${fleet.workers} worker(s)`);
    const started = performance.now();
    const status = await client.workflow.execute(dailySyncWorkflow, {
      taskQueue,
      workflowId: dailySyncWorkflowId(CLIENT, new Date().toISOString()),
      args: [{ client: CLIENT, ...(fleet.batchesPerActivity ? { batchesPerActivity: fleet.batchesPerActivity } : {}) }],
    });
    const simulator = { ...(await admin.concurrency(DEMO_CLIENT.mandatorId)), concurrency: Number(raw.clients[0].concurrency) };
    const wallSeconds = (performance.now() - started) / 1000;
    const unsubscribeChecks = await countCalls(sim.url, 'Unsubscribe', 'containsAll');
    const peakRssMb = Math.max(...workers.map((w) => vmHwmMb(w.child.pid!)));
    const history = await listHistory(client, listSyncWorkflowId(CLIENT, LIST));
    const other = await listHistory(client, listSyncWorkflowId(CLIENT, OTHER_LIST));
    const list = status.lists[LIST]!;
    if (list.state !== 'ready') throw new Error(`list ${LIST} ended ${list.state}: ${list.note ?? ''}`);
    const spread = await workSpread(client, [listSyncWorkflowId(CLIENT, LIST), listSyncWorkflowId(CLIENT, OTHER_LIST)]);
    await Promise.all(workers.splice(0).map((w) => w.kill()));

    log(`baseline: plain soap client, ${list.verifiedCount ?? 0} recipients`);
    const baseline = await runBaseline(config, LIST, process.env[DEMO_PASSWORD_ENV] ?? DEMO_PASSWORD);
    const sent = Object.values(status.lists).reduce((sum, l) => sum + (l.verifiedCount ?? 0), 0);
    return {
      contacts,
      latencyMs,
      variant,
      unsubscribeChecks,
      sent,
      listRecipients: list.verifiedCount ?? 0,
      windowSeconds: list.windowSeconds ?? Number.NaN,
      refillPerSecond: (list.verifiedCount ?? 0) / history.refillSeconds,
      peakRssMb,
      history,
      otherWindowOverlap: overlapSeconds(history, other),
      baseline,
      wallSeconds,
      fleet,
      simulator,
      spread,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await sim.stop();
  }
}

/** Calls of one operation in the simulator's request log (its last 2000 calls) and their server time. */
async function countCalls(url: string, service: string, operation: string): Promise<{ calls: number; serverMs: number }> {
  const response = await fetch(`${url}/admin/requests`);
  if (!response.ok) throw new Error(`reading the simulator's request log answered ${response.status}`);
  const { requests } = (await response.json()) as { requests: Array<{ service: string; operation: string; durationMs: number }> };
  const calls = requests.filter((r) => r.service === service && r.operation === operation);
  return { calls: calls.length, serverMs: calls.reduce((sum, r) => sum + r.durationMs, 0) };
}

/** Peak resident set of a process (VmHWM), in MB. */
function vmHwmMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) / 1024;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
