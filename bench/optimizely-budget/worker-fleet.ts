// Several worker processes on one task queue, the PostgreSQL store and the Optimizely budget shared
// through leases: what bench/optimizely-budget and bench/daily-sync --workers have in common.
import type { Client } from '@temporalio/client';
import { waitForPollers, workByIdentity } from '../../test/helpers/worker-identities';
import { startWorkerProcess, type WorkerProcess } from '../../test/helpers/worker-process';

/** Points a raw configuration at the PostgreSQL store (URL in env `urlVar`) with the budget leased there. */
export function usePostgresStore(raw: Record<string, unknown>, urlVar: string): void {
  raw.store = { kind: 'postgres', url: { env: urlVar }, poolSize: 4 };
  raw.optimizelyBudget = { mode: 'distributed', lease: '30s' };
}

/** Starts `count` worker processes and resolves once the server lists every one of them as a poller. */
export async function startWorkerFleet(
  spec: { file: string; env: NodeJS.ProcessEnv; taskQueue: string },
  count: number,
  client: Client,
): Promise<WorkerProcess[]> {
  const workers = await Promise.all(Array.from({ length: count }, () => startWorkerProcess(spec.file, spec.env)));
  try {
    await waitForPollers(client.workflowService, spec.taskQueue, count);
  } catch (error) {
    await Promise.all(workers.map((w) => w.kill()));
    throw error;
  }
  return workers;
}

export interface WorkSpread {
  /** Per worker identity, the refill chunks (`refillList` activities) it completed. */
  chunksPerWorker: Record<string, number>;
  /** Per workflow id, the workers that completed its workflow tasks. */
  workflowWorkers: Record<string, string[]>;
  /** Per workflow id, the refill chunks each worker completed. */
  chunksByWorkflow: Record<string, Record<string, number>>;
}

/** Which worker did what, from the workflows' histories. */
export async function workSpread(client: Client, workflowIds: readonly string[]): Promise<WorkSpread> {
  const spread: WorkSpread = { chunksPerWorker: {}, workflowWorkers: {}, chunksByWorkflow: {} };
  for (const id of workflowIds) {
    const work = await workByIdentity(client.workflow.getHandle(id));
    const chunks: Record<string, number> = (spread.chunksByWorkflow[id] = {});
    for (const worker of work.completedActivities.refillList ?? []) {
      spread.chunksPerWorker[worker] = (spread.chunksPerWorker[worker] ?? 0) + 1;
      chunks[worker] = (chunks[worker] ?? 0) + 1;
    }
    spread.workflowWorkers[id] = [...new Set(work.workflowTasks)];
  }
  return spread;
}

/** One line per workflow: which workers ran its workflow tasks, and its refill chunks per worker. */
export function describeSpread(spread: WorkSpread): string {
  return Object.entries(spread.workflowWorkers)
    .map(([id, workers]) => `${id}: workflow tasks on ${workers.join(', ')}; refill chunks ${JSON.stringify(spread.chunksByWorkflow[id])}`)
    .join('\n');
}

/** The simulator's admin endpoints the fleet benchmarks read: faults, and calls in flight per client. */
export function simulatorAdmin(url: string, headers: Record<string, string> = {}) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator admin ${method} ${path} answered ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  return {
    setFaults: (faults: { latencyMs?: number; maxConcurrentPerClient?: number }) => call('POST', '/admin/faults', faults),
    resetConcurrency: () => call('DELETE', '/admin/concurrency'),
    /** The peak of calls in flight for the client since the last reset, and the calls refused over its limit. */
    concurrency: async (mandatorId: number) => {
      const { peaks, refused } = (await call('GET', '/admin/concurrency')) as { peaks: Record<string, number>; refused: number };
      return { peak: peaks[`c${mandatorId}`] ?? 0, refused };
    },
  };
}
