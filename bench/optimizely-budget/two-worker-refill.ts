// Both demo lists refilled by N worker processes on one task queue, PostgreSQL store, the budget
// shared through leases: recipients per second over the refill span and the simulator's peak.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { DEMO_CLIENT, DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';
import { startSimulator } from '../../src/simulator';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { listSyncWorkflowId } from '../../workflows/ids';
import { listSyncWorkflow } from '../../workflows/list-sync';
import type { WorkerProcessSpec } from '../../test/helpers/worker-process';
import { simulatorAdmin, startWorkerFleet, usePostgresStore, workSpread, type WorkSpread } from './worker-fleet';

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
  chunksPerWorker: WorkSpread['chunksPerWorker'];
  /** Per list sync, the workers that completed its workflow tasks. */
  workflowWorkers: WorkSpread['workflowWorkers'];
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
    const admin = simulatorAdmin(simulator.url, simulator.adminHeaders);
    const file = writeSpec(dir, simulator.url, options);
    const env = { ...process.env, CAMPAIGN_SYNC_TEST_TEMPORAL_ADDRESS: server.address, [STORE_URL_VAR]: options.storeUrl };
    const client = new Client({ connection });
    workers.push(...(await startWorkerFleet({ file, env, taskQueue: 'bench-budget' }, options.workers, client)));
    await admin.setFaults({ latencyMs: options.latencyMs, maxConcurrentPerClient: options.concurrency });
    await admin.resetConcurrency();
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
    const { peak, refused } = await admin.concurrency(DEMO_CLIENT.mandatorId);
    const span = await refillSpan(handles);
    const recipients = results.reduce((sum, r) => sum + (r.verifiedCount ?? 0), 0);
    const spread = await workSpread(
      client,
      handles.map((h) => h.workflowId),
    );
    return { recipients, refillSeconds: span, perSecond: recipients / span, peak, refused, ...spread };
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
  usePostgresStore(raw, STORE_URL_VAR);
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
