import { readFileSync, writeFileSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { IngestResponseWindowOutput, PlanResponseIngestOutput } from '../../activities/responses-types';
import { parseConfig } from '../../src/config/load-config';
import { CLOSED_LOOP_MAX_ROWS } from '../../src/optimizely/api/closed-loop-columns';
import { totalCounts } from '../../src/responses/response-counts';
import { RESPONSE_GETTERS, type ResponseGetter } from '../../src/responses/response-rows';
import type { PagePosition } from '../../src/responses/window-ingester';
import { windowPages } from '../../src/responses/window-pages';
import { buildDependencies } from '../../src/stack/build-dependencies';
import { threadCpuMs } from '../soap-refill/start-child';
import type { CapturedPage } from './classify';
import { CLIENT_KEY } from './workload';

// One measurement in a fresh process, so its peak RSS belongs to this run alone.
// usage: tsx measure.ts <raw config json file> ingest|read|read-ahead ; prints one JSON line.
//   ingest: the real activities (plan, every window, finish) in an activity context, no server.
//   read:   the baseline ceiling: the same getters paged over SOAP over the same span, rows dropped.
//   read-ahead: the same, paged as ingestion pages them (window-pages.ts), for reference.
//   capture: paged as `read`, the pages with rows written to BENCH_CAPTURE_PAGES (classify.ts reads them).

const [configFile, mode] = process.argv.slice(2);

async function main(): Promise<void> {
  const config = parseConfig(JSON.parse(readFileSync(configFile as string, 'utf8')), 'bench', process.cwd());
  const deps = await buildDependencies(config);
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  const activities = createActivities(deps);
  // The worker starts its response ingestion thread when it starts (src/worker.ts), not per run.
  await deps.responseThread?.ready();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  // The process's first thread alone (Linux): the one that reads, decodes and classifies the pages.
  const readingThreadCpuMs = () => threadCpuMs(process.pid, process.pid);
  const readingBefore = readingThreadCpuMs();
  const plan: PlanResponseIngestOutput = await env.run(activities.planResponseIngest, {
    client: CLIENT_KEY,
    runId: `bench-${mode}`,
    workflowId: 'bench',
  });
  let rows = 0;
  let detail: Record<string, number> = {};
  if (mode === 'ingest') {
    const totals: Record<string, number> = {};
    for (const window of plan.windows) {
      const { counts }: IngestResponseWindowOutput = await env.run(activities.ingestResponseWindow, {
        client: CLIENT_KEY,
        runId: 'bench-ingest',
        ...window,
      });
      for (const [outcome, n] of Object.entries(totalCounts(counts))) totals[outcome] = (totals[outcome] ?? 0) + n;
      rows += Object.values(counts).reduce((sum, c) => sum + c.read, 0);
    }
    detail = totals;
  } else if (mode === 'read-ahead') {
    // Paging as ingestion pages (window-pages.ts: every getter's first page at once, pages read ahead).
    const port = deps.optimizely(CLIENT_KEY);
    for (const window of plan.windows) {
      const readPage = (at: PagePosition) =>
        port.closedLoop[RESPONSE_GETTERS[at.getterIndex] as ResponseGetter]({
          ...window,
          startRow: at.startRow,
          numberOfRows: CLOSED_LOOP_MAX_ROWS,
        });
      for await (const page of windowPages(readPage, { getterIndex: 0, startRow: 0 }, RESPONSE_GETTERS.length)) rows += page.rows.length;
    }
  } else {
    const port = deps.optimizely(CLIENT_KEY);
    const captured: CapturedPage[] = [];
    for (const window of plan.windows) {
      for (const getter of RESPONSE_GETTERS) {
        for (let startRow = 0; ; startRow += CLOSED_LOOP_MAX_ROWS) {
          const page = await port.closedLoop[getter]({ ...window, startRow, numberOfRows: CLOSED_LOOP_MAX_ROWS });
          rows += page.length;
          if (mode === 'capture' && page.length > 0) captured.push({ until: window.until, getter, startRow, rows: page });
          if (page.length < CLOSED_LOOP_MAX_ROWS) break;
        }
      }
    }
    if (mode === 'capture') writeFileSync(process.env.BENCH_CAPTURE_PAGES as string, JSON.stringify(captured));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(2));
  const readingCpuSeconds = Number(((readingThreadCpuMs() - readingBefore) / 1000).toFixed(2));
  await deps.close();
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    `${JSON.stringify({ mode, rows, windows: plan.windows.length, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(rows / seconds), cpuSeconds, readingCpuSeconds, peakRssMb, ...detail })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
