import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_PASSWORD_ENV, demoConfig, demoSimulatorSeed } from '../../src/demo/demo-config';
import { RESPONSE_BATCH_STATEMENTS } from '../../src/crm/sql/response-batch-statements';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';
import { startChildSimulator } from '../soap-refill/start-child';
import { CLIENT_KEY, MANDATOR, recordLedger, responseEvents } from './workload';

// 100,000 response events injected into the simulator (own process) through its admin API, then
// ingested by the real activities in a fresh process: events per second and peak RSS. The baseline,
// measured in the same run: paging the same getters over the same span and dropping the rows, the
// ceiling the simulator and the SOAP client set. BENCH_ROUNDS pairs (default 3), each on fresh copies.

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const CONTACTS = 20_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Measured = Record<string, number | string>;
const ROOT = join(__dirname, '../..');

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function admin(url: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path} answered ${response.status}`);
  return response.json();
}

function measure(configFile: string, mode: 'ingest' | 'read' | 'read-ahead' | 'capture'): Measured {
  // BENCH_CPU_PROF=<folder> writes CPU profiles of each measurement to <folder>/<mode>/, one per
  // thread (the response ingestion thread has its own); open them in Chrome DevTools.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(process.env.BENCH_CPU_PROF, mode)}`] : [];
  const out = execFileSync(process.execPath, [...profile, '--import', 'tsx', join(__dirname, 'measure.ts'), configFile, mode], {
    cwd: ROOT,
    maxBuffer: 1 << 22,
    env: process.env,
  });
  return JSON.parse(out.toString().trim().split('\n').pop() as string) as Measured;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-responses-'));
  process.env[DEMO_PASSWORD_ENV] ??= DEMO_PASSWORD;
  const simulator = await startChildSimulator(demoSimulatorSeed());
  try {
    const crmFile = join(dir, 'crm.sqlite');
    const storeFile = join(dir, 'state.sqlite');
    generateDemoCrm({ contacts: CONTACTS, file: crmFile, seed: 3 });
    const sent = await recordLedger(crmFile, storeFile);
    for (const mailingId of [1001, 2001])
      await admin(simulator.url, `/admin/clients/${MANDATOR}/mailings`, { mailingId, recipientListId: 100 });
    const { now } = (await admin(simulator.url, '/admin/clock')) as { now: number };
    const events = responseEvents(EVENTS, sent, now);
    const injectStart = performance.now();
    for (let i = 0; i < events.length; i += 10_000)
      await admin(simulator.url, `/admin/clients/${MANDATOR}/events`, { events: events.slice(i, i + 10_000) });
    print(
      `injected ${events.length} events for ${sent.length} known recipients in ${((performance.now() - injectStart) / 1000).toFixed(1)} s`,
    );
    // The last events land in an export batch produced up to ten minutes later.
    await admin(simulator.url, '/admin/clock/advance', { ms: 15 * 60_000 });

    const raw = demoConfig() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw, unparsed configuration
    Object.assign(raw.clients[0], { key: CLIENT_KEY, endpoint: simulator.url });
    // BENCH_RESPONSE_BATCH=1: the CRM records opens and clicks with the multi-row statement (docs/crm.md).
    if (process.env.BENCH_RESPONSE_BATCH === '1') raw.crm.statements = { responseBatch: RESPONSE_BATCH_STATEMENTS.sqlite };
    print(
      `CRM responses: ${raw.crm.statements?.responseBatch ? 'multi-row responseBatch statement' : 'per-event response statement (default)'}`,
    );
    // Every measurement starts from copies of the same CRM and state store, so each does the same work.
    let copies = 0;
    const freshConfig = (): string => {
      copies += 1;
      const copy = (file: string) => {
        const target = `${file}.${copies}`;
        copyFileSync(file, target);
        return target;
      };
      Object.assign(raw, { dataDir: join(dir, `data${copies}`) });
      raw.crm.file = copy(crmFile);
      raw.store.file = copy(storeFile);
      const configFile = join(dir, `config${copies}.json`);
      writeFileSync(configFile, JSON.stringify(raw));
      return configFile;
    };

    // BENCH_CAPTURE_PAGES=<file>: the pages with rows written for the classification micro-benchmark
    // (classify.ts), nothing measured.
    if (process.env.BENCH_CAPTURE_PAGES) {
      const configFile = freshConfig();
      const captured = measure(configFile, 'capture');
      // What the replay (replay.ts) starts from: the same CRM, state store and configuration.
      const target = process.env.BENCH_CAPTURE_PAGES;
      copyFileSync(crmFile, `${target}.crm.sqlite`);
      copyFileSync(storeFile, `${target}.state.sqlite`);
      copyFileSync(configFile, `${target}.config.json`);
      print(`captured the pages of ${captured.rows} rows in ${process.env.BENCH_CAPTURE_PAGES}`);
      return;
    }
    // Paging and ingesting take turns, the order swapped every round: a shared machine's load
    // changes within seconds, and the ratio of one pair measured side by side is what compares.
    print(
      'round  mode                        rows read  windows  seconds  rows/s  CPU s (worker side)  CPU s (reading thread)  CPU s (simulator)  peak RSS MB',
    );
    const ratios: number[] = [];
    const aheadRatios: number[] = [];
    let ingest: Measured = {};
    for (let round = 1; round <= ROUNDS; round += 1) {
      // The paging read ahead (as ingestion pages) is measured last, for reference: the ratio is the plain baseline's.
      const order = round % 2 === 1 ? (['read', 'ingest', 'read-ahead'] as const) : (['ingest', 'read', 'read-ahead'] as const);
      const measured: Record<string, Measured> = {};
      for (const mode of order) {
        const simulatorCpuBefore = simulator.cpuMs();
        measured[mode] = measure(freshConfig(), mode);
        (measured[mode] as Measured).simulatorCpuSeconds = ((simulator.cpuMs() - simulatorCpuBefore) / 1000).toFixed(2);
      }
      const read = measured.read as Measured;
      ingest = measured.ingest as Measured;
      const ahead = measured['read-ahead'] as Measured;
      for (const [label, m] of [
        ['baseline: page and drop', read],
        ['ingest (real activities)', ingest],
        ['paging read ahead, dropped', ahead],
      ] as const) {
        print(
          `${String(round).padStart(5)}  ${label.padEnd(27)} ${String(m.rows).padStart(9)}  ${String(m.windows).padStart(7)}  ${String(m.seconds).padStart(7)}  ${String(m.rowsPerSecond).padStart(6)}  ${String(m.cpuSeconds).padStart(19)}  ${String(m.readingCpuSeconds).padStart(22)}  ${String(m.simulatorCpuSeconds).padStart(17)}  ${String(m.peakRssMb).padStart(11)}`,
        );
      }
      // The same windows are read in both modes, so the ratio of the times is the ratio of the rates.
      ratios.push(Number(read.seconds) / Number(ingest.seconds));
      aheadRatios.push(Number(ahead.seconds) / Number(ingest.seconds));
      print(
        `       ingest events/s = ${Math.round(EVENTS / Number(ingest.seconds))}; ingest rate = ${Math.round(100 * (ratios.at(-1) as number))}% of the paging rate (${Math.round(100 * (aheadRatios.at(-1) as number))}% of paging read ahead)`,
      );
    }
    const {
      mode: _mode,
      rows: _rows,
      windows: _w,
      seconds: _s,
      rowsPerSecond: _r,
      cpuSeconds: _c,
      readingCpuSeconds: _rc,
      peakRssMb: _p,
      simulatorCpuSeconds: _sc,
      ...outcomes
    } = ingest;
    print(`ingest outcomes (every round the same): ${JSON.stringify(outcomes)}`);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    print(`median ingest rate over ${ROUNDS} rounds = ${Math.round(100 * median(ratios))}% of the paging rate (target >= 80%)`);
    print(
      `median ingest rate over ${ROUNDS} rounds = ${Math.round(100 * median(aheadRatios))}% of the rate of paging read ahead (for reference)`,
    );
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
