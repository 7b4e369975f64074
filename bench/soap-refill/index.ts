// bench/soap-refill: 100,000 recipients with 10 attributes via addAll3 in batches of 1000 into the
// simulator (a child process, so the CPU measured here is the client's), through campaign-sync's
// client and, in the same run, through a plain `soap` client as a typical script would use it.
// Usage: npx tsx bench/soap-refill/index.ts [--recipients 100000] [--concurrency 8]
import { parseArgs } from 'node:util';
import { createOptimizelyClient } from '../../src/optimizely/client';
import { baselineLogin, baselineRun, createBaselineClients } from './baseline-run';
import { clientRun, type RunResult } from './client-run';
import { measure, type Measured } from './measure';
import { startChildSimulator } from './start-child';
import { batches, LISTS, MANDATOR, seed } from './workload';

const BATCH_SIZE = 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { recipients: { type: 'string', default: '100000' }, concurrency: { type: 'string', default: '8' } } });
  const recipients = Number(values.recipients);
  const concurrency = Number(values.concurrency);
  const work = batches(recipients, BATCH_SIZE);
  const sim = await startChildSimulator(seed());
  try {
    const soapClients = await createBaselineClients(sim.url);
    const sessionId = await baselineLogin(soapClients.session);
    // Warm both code paths (JIT, sockets, SQLite pages) on a scratch list before timing anything.
    await (await clientRun(sim.url, LISTS.warmup, work.slice(0, 3), concurrency)).close();
    await soapClients.recipient.clearAsync!({ in0: sessionId, in1: LISTS.warmup });
    await baselineRun(soapClients.recipient, sessionId, LISTS.warmup, work.slice(0, 3));

    await soapClients.recipient.clearAsync!({ in0: sessionId, in1: LISTS.baseline });
    const baseline = await measure(() => baselineRun(soapClients.recipient, sessionId, LISTS.baseline, work), sim.cpuMs);
    let closeClient = async (): Promise<void> => undefined;
    const ours = await measure(async () => {
      const run = await clientRun(sim.url, LISTS.client, work, concurrency);
      closeClient = run.close;
      return run;
    }, sim.cpuMs);
    await closeClient();
    const counts = await listCounts(sim.url);
    report({ recipients, batches: work.length, concurrency, baseline, ours, counts });
  } finally {
    await sim.stop();
  }
}

async function listCounts(url: string): Promise<{ baseline: number; client: number }> {
  const client = createOptimizelyClient({ baseUrl: url, ...MANDATOR });
  try {
    return { baseline: await client.recipient.getCount({ listId: LISTS.baseline }), client: await client.recipient.getCount({ listId: LISTS.client }) };
  } finally {
    await client.close();
  }
}

interface Report {
  recipients: number;
  batches: number;
  concurrency: number;
  baseline: Measured<RunResult>;
  ours: Measured<RunResult>;
  counts: { baseline: number; client: number };
}

function report({ recipients, batches, concurrency, baseline, ours, counts }: Report): void {
  const row = (name: string, run: Measured<RunResult>, inList: number) => {
    const rate = recipients / (run.wallMs / 1000);
    const added = run.result.codes.filter((code) => code === 0).length;
    console.log(
      `${name.padEnd(34)} ${rate.toFixed(0).padStart(8)} rec/s  ${(run.wallMs / 1000).toFixed(2).padStart(6)} s  ` +
        `client CPU ${(run.cpuMs / batches).toFixed(1).padStart(6)} ms/batch  simulator CPU ${(run.serverCpuMs / batches).toFixed(1).padStart(6)} ms/batch  ` +
        `${(run.result.requestBytes / recipients).toFixed(0).padStart(4)} B/recipient  ` +
        `codes decoded ${run.result.codes.length}, 0=${added}, in list ${inList}`,
    );
    return rate;
  };
  console.log(`soap-refill: ${recipients} recipients x 10 attributes, ${batches} addAll3 batches of ${BATCH_SIZE}, simulator in a child process`);
  const baseRate = row('baseline (soap package, sequential)', baseline, counts.baseline);
  const ourRate = row(`campaign-sync client (concurrency ${concurrency})`, ours, counts.client);
  const ratio = ourRate / baseRate;
  // The simulator is one Node process: with a core to itself it could take no more than this.
  console.log(`simulator-bound ceiling ${(recipients / (ours.serverCpuMs / 1000)).toFixed(0)} rec/s (simulator CPU only)`);
  console.log(`speed-up ${ratio.toFixed(2)}x`);
  console.log(`${ratio >= 3 ? 'PASS' : 'FAIL'}  throughput >= 3x baseline (${ratio.toFixed(2)}x)`);
  console.log(`${ourRate >= 20_000 ? 'PASS' : 'FAIL'}  throughput >= 20,000 recipients/s (${ourRate.toFixed(0)})`);
  const complete = ours.result.codes.length === recipients && counts.client === recipients;
  console.log(`${complete ? 'PASS' : 'FAIL'}  every recipient answered and in the list (${ours.result.codes.length} codes, ${counts.client} in list)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
