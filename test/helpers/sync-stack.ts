import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { CampaignSyncConfig } from '../../src/config/config-schema';
import { parseConfig } from '../../src/config/load-config';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { buildDependencies, type WorkerDependencies } from '../../src/stack/build-dependencies';
import { createWorker } from '../../src/worker';
import { dailySyncWorkflow } from '../../workflows/daily-sync';
import { dailySyncWorkflowId } from '../../workflows/ids';
import { taskQueueFor } from './temporal-env';

export const DEMO_MANDATOR = 1234;
export const LIST_IDS = { newsletter: 100, offers: 200 } as const;

export interface SyncStackOptions {
  env: TestWorkflowEnvironment;
  bundle: WorkflowBundle;
  title: string;
  contacts?: number;
  /** Changes to the demo configuration object before it is parsed (e.g. guard thresholds). */
  adjust?: (raw: DemoConfigObject, dir: string) => void;
  /** Changes to the simulator's demo seed before it starts (e.g. an opt-in list, old unsubscribes). */
  adjustSeed?: (seed: DemoConfigObject) => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the raw, unparsed configuration
export type DemoConfigObject = Record<string, any>;

/** The demo's opt-in process at the simulator (a single opt-in). */
export const DEMO_OPTIN_PROCESS = 11;

/** The newsletter as the only list, with an opt-in process (configuration and simulator seed). */
export const optInNewsletterAlone = {
  adjust: (raw: DemoConfigObject): void => {
    raw.clients[0].lists[0].optinProcessId = DEMO_OPTIN_PROCESS;
    raw.clients[0].lists[1].enabled = false;
  },
  adjustSeed: (seed: DemoConfigObject): void => {
    seed.clients[0].lists[0].type = 'optin';
  },
};

/**
 * The real pipeline for one test: a demo CRM, the simulator over HTTP, a SQLite state store and a
 * worker with the real activities on its own task queue, on the run's Temporal dev server. The
 * client key is unique per stack, so workflow ids (the per-list locks) never collide across tests.
 */
export async function startSyncStack(options: SyncStackOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'sync-stack-'));
  const taskQueue = taskQueueFor(options.title);
  const clientKey = `t-${taskQueue.slice(5, 40).replace(/-+$/, '')}-${Date.now() % 100000}`;
  const crmFile = join(dir, 'crm.sqlite');
  generateDemoCrm({ contacts: options.contacts ?? 1200, file: crmFile, seed: 7 });
  const adminToken = randomBytes(16).toString('hex');
  const seed: DemoConfigObject = demoSimulatorSeed();
  options.adjustSeed?.(seed);
  const simulator = await startSimulator({ port: 0, dataFile: join(dir, 'simulator.sqlite'), seed, admin: true, adminToken });
  process.env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
  const raw: DemoConfigObject = demoConfig();
  raw.dataDir = join(dir, 'data');
  Object.assign(raw.clients[0], { key: clientKey, endpoint: simulator.url });
  raw.crm.file = crmFile;
  raw.store.file = join(dir, 'state.sqlite');
  options.adjust?.(raw, dir);
  const config = parseConfig(raw, options.title, dir);
  const deps = await buildDependencies(config);
  let worker: Worker | undefined;
  const startWorker = async () => {
    worker = await createWorker({
      connection: options.env.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities(deps),
      workflowBundle: options.bundle,
    });
    return worker;
  };
  return {
    dir,
    taskQueue,
    clientKey,
    crmFile,
    /** The adjusted configuration before parsing: what a worker child process parses again. */
    rawConfig: raw,
    config,
    simulator,
    deps,
    startWorker,
    /** Runs a daily sync to completion on a worker of this stack. */
    async runDaily(input: { batchesPerActivity?: number } = {}) {
      const w = await startWorker();
      const workflowId = dailySyncWorkflowId(clientKey, new Date().toISOString());
      const status = await w.runUntil(
        options.env.client.workflow.execute(dailySyncWorkflow, { taskQueue, workflowId, args: [{ client: clientKey, ...input }] }),
      );
      return { workflowId, status };
    },
    listRecipients: (listKey: keyof typeof LIST_IDS) => adminRecipients(simulator, LIST_IDS[listKey]),
    admin: (path: string, body?: unknown) => adminCall(simulator, path, body),
    async stop() {
      await deps.close();
      await simulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type SyncStack = Awaited<ReturnType<typeof startSyncStack>>;
export type { CampaignSyncConfig, WorkerDependencies };

export interface SimRecipient {
  recipientId: string;
  address: string;
  attributes: Record<string, string | null>;
}

async function adminRecipients(simulator: RunningSimulator, listId: number): Promise<SimRecipient[]> {
  const body = (await adminCall(simulator, `/admin/clients/${DEMO_MANDATOR}/lists/${listId}/recipients`)) as { recipients: SimRecipient[] };
  return body.recipients;
}

async function adminCall(simulator: RunningSimulator, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${simulator.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...simulator.adminHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}
