import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { buildDist, ROOT, startWorker, writeWorkerConfig, type WorkerMode } from '../../test/helpers/worker-startup';

// Worker start-up, from spawning `node` to the worker's "Worker started" log line (connected to a
// local dev server, code loaded, workflows ready), in the two ways the worker can run:
// - tsx: the TypeScript sources through tsx, workflows bundled by webpack at start (the old image);
// - dist: `npm run build` output, the workflow bundle prebuilt (the image now).
// Alternates the modes RUNS times each and prints every figure and the medians. PASS when the
// compiled worker's median is below the tsx one's.

const RUNS = Number(process.env.RUNS ?? 3);

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/workflow-bundle.js'))) await buildDist();
  const dir = mkdtempSync(join(tmpdir(), 'bench-worker-startup-'));
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  const env = {
    TEMPORAL_ADDRESS: server.address,
    CAMPAIGN_SYNC_CONFIG: writeWorkerConfig(dir),
    CAMPAIGN_SYNC_DATA_DIR: join(dir, 'data'),
    CAMPAIGN_SYNC_TASK_QUEUE: 'bench-worker-startup',
  };
  const figures: Record<WorkerMode, number[]> = { tsx: [], dist: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const mode of ['tsx', 'dist'] as const) {
        const worker = await startWorker(mode, env);
        figures[mode].push(worker.startupMs);
        await worker.stop();
        process.stdout.write(`run ${run + 1}  ${mode.padEnd(4)}  ${(worker.startupMs / 1000).toFixed(2)} s\n`);
      }
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const [tsx, dist] = [median(figures.tsx), median(figures.dist)];
  process.stdout.write(
    `median  tsx (sources, bundling at start) ${(tsx / 1000).toFixed(2)} s; dist (compiled, prebuilt bundle) ${(dist / 1000).toFixed(2)} s; ${(tsx / dist).toFixed(1)}x\n`,
  );
  process.stdout.write(dist < tsx ? 'PASS\n' : 'FAIL\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
