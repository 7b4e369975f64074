// bench/daily-sync: the whole daily sync on the embedded stack (own in-memory dev server, simulator
// and worker in child processes, demo CRM under .data/bench/) for 100,000 contacts, and 1,000,000
// with --million; in the same run a plain `soap` baseline refills the same list.
// Each size runs twice: with the simulator answering as fast as this machine allows (CPU-bound, both
// sides share two cores with the simulator), and with a per-call latency standing in for the network
// and server time of the real service (default 100 ms), applied to the sync and the baseline alike.
// --optin runs each size and latency twice, the newsletter as a regular and as an opt-in list, to
// measure the unsubscribe check before every opt-in batch (Unsubscribe.containsAll).
// --stores sqlite,postgres runs each size and latency on each state store (PostgreSQL: a throwaway
// server of the bench's own); --workers N runs N worker processes on the task queue (PostgreSQL store,
// budget shared through leases) and prints where the list syncs and refill chunks ran.
// Usage: npx tsx bench/daily-sync/index.ts [--million] [--contacts N] [--latency-ms 0,100] [--optin]
//        [--stores sqlite,postgres] [--workers N] [--batches-per-activity N] [--eager-activities on|off]
//        [--repeat N]   (each size, latency and store N times; the verdict is on the median ratio)
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import { extrapolateEvents } from './history';
import { createTestDatabase, startTestPostgres } from '../../test/helpers/postgres';
import { describeSpread } from '../optimizely-budget/worker-fleet';
import { runSize, type Fleet, type SizeResult } from './run-size';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      million: { type: 'boolean', default: false },
      contacts: { type: 'string' },
      'latency-ms': { type: 'string', default: '0,100' },
      optin: { type: 'boolean', default: false },
      stores: { type: 'string', default: 'sqlite' },
      workers: { type: 'string', default: '1' },
      'batches-per-activity': { type: 'string' },
      'eager-activities': { type: 'string', default: 'on' },
      repeat: { type: 'string', default: '1' },
    },
  });
  const fleets = fleetOptions(values);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number ≥ 1, got ${values.repeat}`);
  const latencies = values['latency-ms'].split(',').map(Number);
  const sizes = values.contacts ? [Number(values.contacts)] : values.million ? [100_000, 1_000_000] : [100_000];
  const server = await startDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    headless: true,
    dynamicConfig: eagerActivities(values['eager-activities']),
  });
  const connection = await Connection.connect({ address: server.address });
  const postgres = fleets.some((f) => f.store === 'postgres') ? await startTestPostgres() : undefined;
  try {
    const client = new Client({ connection });
    mkdirSync(resolve('.data/bench/daily-sync'), { recursive: true });
    const bundleFile = resolve('.data/bench/daily-sync/workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') });
    writeFileSync(bundleFile, code);
    const results: SizeResult[] = [];
    for (const contacts of sizes) {
      for (const latencyMs of latencies) {
        for (const fleet of fleets) {
          // Every run starts on an empty state store, as it does on SQLite (a fresh file).
          const fresh = async (): Promise<Fleet> => ({
            ...fleet,
            storeUrl: postgres && fleet.store === 'postgres' ? await createTestDatabase(postgres.url) : undefined,
          });
          for (let round = 0; round < repeat; round += 1) {
            const result = await runSize(contacts, latencyMs, server.address, client, bundleFile, 'regular', await fresh());
            results.push(result);
            print(result);
          }
          if (values.optin) {
            // Opt-in, then regular again: the first run of a size pays the cold start, so the cost is
            // read against the second regular run, in the same order for every latency.
            const optin = await runSize(contacts, latencyMs, server.address, client, bundleFile, 'optin', await fresh());
            printOptinCost(await runSize(contacts, latencyMs, server.address, client, bundleFile, 'regular', await fresh()), optin);
          }
        }
      }
    }
    verdicts(results);
  } finally {
    await postgres?.stop();
    await connection.close();
    await server.stop();
  }
}

function print(r: SizeResult): void {
  const f = (n: number, d = 1) => n.toFixed(d);
  console.log(
    `\n== ${r.contacts.toLocaleString('en')} contacts, ${r.latencyMs} ms per call: newsletter ${r.listRecipients.toLocaleString('en')} recipients (both lists ${r.sent.toLocaleString('en')}), daily run ${f(r.wallSeconds)} s`,
  );
  console.log(`refill recipients/s (newsletter, first refill activity scheduled .. last completed): ${f(r.refillPerSecond, 0)}`);
  console.log(
    `clear-to-ready window: ${f(r.windowSeconds, 2)} s   baseline (plain soap, ${r.baseline.recipients} recipients, count ${r.baseline.count}): ${f(r.baseline.windowSeconds, 2)} s   ratio ${f(r.windowSeconds / r.baseline.windowSeconds, 3)}`,
  );
  console.log(`newsletter window (server clock, epoch ms): ${r.history.window.from} .. ${r.history.window.to}`);
  console.log(`offers window open during the newsletter window: ${f(r.otherWindowOverlap, 2)} s (the baseline refills newsletter alone)`);
  console.log(`peak worker RSS (VmHWM): ${f(r.peakRssMb)} MB`);
  console.log(
    `history events of the newsletter list sync: ${r.history.events} (${r.history.refillChunks} refill chunks, hand-overs between them ${f(r.history.handOverSeconds, 2)} s)`,
  );
  console.log(
    `${r.fleet.store} store, ${r.fleet.workers} worker(s): simulator peak ${r.simulator.peak} SOAP calls in flight for the client (concurrency ${r.simulator.concurrency}), ${r.simulator.refused} refused`,
  );
  if (r.fleet.workers > 1) console.log(describeSpread(r.spread));
}

/**
 * `off` turns the server's eager activity dispatch off (the dev server has it on): an activity the
 * workflow schedules then goes through the task queue to any worker, not back to the one that
 * completed the workflow task.
 */
function eagerActivities(value: string): Record<string, string> {
  if (value === 'on') return {};
  if (value === 'off') return { 'system.enableActivityEagerExecution': 'false' };
  throw new Error(`--eager-activities takes on or off, got ${value}`);
}

/** The store × worker combinations to run: several workers need the PostgreSQL store. */
function fleetOptions(values: { stores: string; workers: string; 'batches-per-activity'?: string }): Fleet[] {
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be a whole number ≥ 1, got ${values.workers}`);
  const batches = values['batches-per-activity'];
  const batchesPerActivity = batches === undefined ? undefined : Number(batches);
  if (batchesPerActivity !== undefined && (!Number.isInteger(batchesPerActivity) || batchesPerActivity < 1))
    throw new Error(`--batches-per-activity must be a whole number ≥ 1, got ${batches}`);
  return values.stores.split(',').map((store): Fleet => {
    if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--stores takes sqlite and/or postgres, got ${store}`);
    if (store === 'sqlite' && workers > 1) throw new Error('--workers above 1 needs --stores postgres: the SQLite store is for one host');
    return { store, workers, batchesPerActivity };
  });
}

/** The same run with the newsletter as an opt-in list: what the unsubscribe check before each batch costs. */
function printOptinCost(regular: SizeResult, optin: SizeResult): void {
  const f = (n: number, d = 2) => n.toFixed(d);
  const checks = optin.unsubscribeChecks;
  console.log(
    `opt-in variant: window ${f(optin.windowSeconds)} s (regular, run after it: ${f(regular.windowSeconds)} s, difference ${f(optin.windowSeconds - regular.windowSeconds)} s), daily run ${f(optin.wallSeconds, 1)} s (regular ${f(regular.wallSeconds, 1)} s)`,
  );
  console.log(
    `unsubscribe checks: ${checks.calls} containsAll calls, ${f(checks.calls ? checks.serverMs / checks.calls : 0, 1)} ms server time each (simulator, latency included); recipients ${optin.listRecipients} (regular ${regular.listRecipients})`,
  );
}

function verdicts(results: SizeResult[]): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('\n== targets');
  for (const runs of sameSettings(results)) {
    const r = runs[0]!;
    const ratio = median(runs.map((run) => run.windowSeconds / run.baseline.windowSeconds));
    const settings = `${r.contacts} contacts, ${r.latencyMs} ms per call, ${r.fleet.store}, ${r.fleet.workers} worker(s)`;
    if (runs.length === 1) {
      console.log(
        `${verdict(ratio <= 1 / 3)} window at ${settings}: ${r.windowSeconds.toFixed(2)} s <= baseline/3 ${(r.baseline.windowSeconds / 3).toFixed(2)} s`,
      );
    } else {
      const each = runs.map((run) => (run.windowSeconds / run.baseline.windowSeconds).toFixed(3)).join(', ');
      console.log(
        `${verdict(ratio <= 1 / 3)} window at ${settings}: median ratio of ${runs.length} runs ${ratio.toFixed(3)} <= 0.333 (each: ${each})`,
      );
    }
  }
  // Memory and history from the first latency of each size (the figures barely depend on latency).
  const small = results.find((r) => r.contacts === 100_000);
  const large = results.find((r) => r.contacts === 1_000_000);
  if (small && large) {
    console.log(
      `${verdict(large.peakRssMb <= 1.5 * small.peakRssMb)} peak worker RSS (${large.fleet.store}) at 1,000,000 ${large.peakRssMb.toFixed(1)} MB <= 1.5 x ${small.peakRssMb.toFixed(1)} MB`,
    );
    console.log(`INFO measured history at ${large.listRecipients} recipients: ${large.history.events} events`);
  } else {
    console.log('SKIP peak worker RSS at 1,000,000 within 1.5x of 100,000 (needs --million)');
  }
  const base = large ?? results[results.length - 1]!;
  const events = extrapolateEvents(base.history, 1_000_000);
  const label =
    large && large.listRecipients >= 1_000_000
      ? 'measured'
      : `EXTRAPOLATED from ${base.listRecipients} recipients (fixed events + 6 per chunk of 100 batches)`;
  console.log(`${verdict(events < 1000)} history of one list sync at 1,000,000 recipients: ${events} events < 1000 [${label}]`);
}

/** The runs of one size, latency and fleet, in the order they ran (--repeat runs each several times). */
function sameSettings(results: SizeResult[]): SizeResult[][] {
  const groups = new Map<string, SizeResult[]>();
  for (const r of results) {
    const key = `${r.contacts}/${r.latencyMs}/${r.fleet.store}/${r.fleet.workers}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/** The middle value (the mean of the two middle ones for an even count): one slow or fast run does not decide. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
