// Both demo lists refilled by N worker processes on one task queue, PostgreSQL store, the budget
// shared through leases: recipients per second over the refill span and the simulator's peak.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';
import { startSimulator } from '../../src/simulator';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { listSyncWorkflowId } from '../../workflows/ids';
import { listSyncWorkflow } from '../../workflows/list-sync';
import { waitForPollers, workByIdentity } from '../../test/helpers/worker-identities';
import { startWorkerProcess, type WorkerProcessSpec } from '../../test/helpers/worker-process';

const LISTS = ['newsletter', 'offers'] as const;
const STORE_URL_VAR = 'CAMPAIGN_SYNC_BENCH_STORE_URL';

export interface RefillOptions {
  workers: number;
  contacts: number;
  concurrency: number;
  latencyMs: number;
  storeUrl: string;
}

export interface RefillResult {
  recipients: number;
  refillSeconds: number;
  perSecond: number;
  peak: number;
  refused: number;
  chunksPerWorker: Record<string, number>;
  /** Per list, the workers that completed its workflow tasks. */
  workflowWorkers: Record<string, string[]>;
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

export async function measureRefill(options: RefillOptions): Promise<RefillResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-budget-'));
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  const connection = await Connection.connect({ address: server.address });
  const adminToken = randomBytes(16).toString('hex');
  const simulator = await startSimulator({
    port: 0,
    dataFile: join(dir, 'sim.sqlite'),
    seed: demoSimulatorSeed(),
    admin: true,
    adminToken,
  });
  const workers: Array<{ kill(): Promise<void> }> = [];
  try {
    const admin = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${simulator.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...simulator.adminHeaders },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`admin ${path} answered ${response.status}`);
      return response.json() as Promise<unknown>;
    };
    const spec = writeSpec(dir, simulator.url, options);
    const env = { ...process.env, CAMPAIGN_SYNC_TEST_TEMPORAL_ADDRESS: server.address, [STORE_URL_VAR]: options.storeUrl };
    workers.push(...(await Promise.all(Array.from({ length: options.workers }, () => startWorkerProcess(spec, env)))));
    await admin('POST', '/admin/faults', { latencyMs: options.latencyMs, maxConcurrentPerClient: options.concurrency });
    await admin('DELETE', '/admin/concurrency');
    const client = new Client({ connection });
    await waitForPollers(client.workflowService, 'bench-budget', options.workers);
    const handles = await Promise.all(
      LISTS.map((listKey) =>
        client.workflow.start(listSyncWorkflow, {
          taskQueue: 'bench-budget',
          workflowId: listSyncWorkflowId('bench', listKey),
          args: [{ client: 'bench', listKey, batchesPerActivity: 5 }],
        }),
      ),
    );
    const results = await Promise.all(handles.map((h) => h.result()));
    const { peaks, refused } = (await admin('GET', '/admin/concurrency')) as { peaks: Record<string, number>; refused: number };
    const span = await refillSpan(handles);
    const chunksPerWorker: Record<string, number> = {};
    const workflowWorkers: Record<string, string[]> = {};
    for (const [i, handle] of handles.entries()) {
      const work = await workByIdentity(handle);
      for (const id of work.completedActivities.refillList ?? []) chunksPerWorker[id] = (chunksPerWorker[id] ?? 0) + 1;
      workflowWorkers[LISTS[i]!] = [...new Set(work.workflowTasks)];
    }
    const recipients = results.reduce((sum, r) => sum + (r.verifiedCount ?? 0), 0);
    return {
      recipients,
      refillSeconds: span,
      perSecond: recipients / span,
      peak: peaks.c1234 ?? 0,
      refused,
      chunksPerWorker,
      workflowWorkers,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await simulator.stop();
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo configuration on PostgreSQL with the shared budget, the CRM and the workflow bundle in `dir`. */
function writeSpec(dir: string, endpoint: string, options: RefillOptions): string {
  process.env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
  const crmFile = join(dir, 'crm.sqlite');
  generateDemoCrm({ contacts: options.contacts, file: crmFile, seed: 1 });
  const raw = demoConfig() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw configuration
  raw.dataDir = join(dir, 'run');
  Object.assign(raw.clients[0], { key: 'bench', endpoint, concurrency: options.concurrency });
  raw.crm.file = crmFile;
  raw.store = { kind: 'postgres', url: { env: STORE_URL_VAR }, poolSize: 4 };
  raw.optimizelyBudget = { mode: 'distributed', lease: '30s' };
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundleCode);
  const spec: WorkerProcessSpec = { rawConfig: raw, configDir: dir, taskQueue: 'bench-budget', workflowBundlePath: bundlePath };
  writeFileSync(join(dir, 'worker-spec.json'), JSON.stringify(spec));
  return join(dir, 'worker-spec.json');
}

let bundleCode = '';
/** Bundles the workflows once per benchmark run. */
export async function prepareBundle(): Promise<void> {
  bundleCode = (await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') })).code;
}

/** First refillList scheduled .. last refillList completed, over both lists, in seconds. */
interface SpanEvent {
  eventId?: unknown;
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
}

async function refillSpan(handles: Array<{ fetchHistory(): Promise<{ events?: SpanEvent[] | null }> }>): Promise<number> {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const handle of handles) {
    const refills = new Set<string>();
    for (const event of (await handle.fetchHistory()).events ?? []) {
      if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'refillList') {
        refills.add(String(event.eventId));
        first = Math.min(first, ms(event.eventTime));
      }
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && refills.has(String(completed.scheduledEventId))) last = Math.max(last, ms(event.eventTime));
    }
  }
  return (last - first) / 1000;
}
