// bench/soap-refill: 100,000 recipients with 10 attributes via addAll3 in batches of 1000 into the
// simulator (a child process, so the CPU measured here is the client's), through campaign-sync's
// client and, in the same run, through a plain `soap` client as a typical script would use it.
// The two alternate in rounds so that load from other processes on a shared machine falls on both.
// Usage: npx tsx bench/soap-refill/index.ts [--recipients 100000] [--concurrency 8] [--rounds 5]
import { parseArgs } from 'node:util';
import { createOptimizelyClient } from '../../src/optimizely/client';
import { baselineLogin, baselineRun, createBaselineClients } from './baseline-run';
import { type RunResult, startClientRun } from './client-run';
import { emptyTotals, measureInto } from './measure';
import { report } from './report';
import { startChildSimulator } from './start-child';
import { type Batch, batches, LISTS, MANDATOR, seed } from './workload';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const recipients = Number(values.recipients);
  const concurrency = Number(values.concurrency);
  const work = batches(recipients, REFILL_BATCH_SIZE);
  const rounds = chunk(work, Math.ceil(work.length / Number(values.rounds)));
  const sim = await startChildSimulator(seed());
  try {
    const soapClients = await createBaselineClients(sim.url);
    const sessionId = await baselineLogin(soapClients.session);
    // Warm both code paths (JIT, sockets, SQLite pages) on a scratch list before timing anything.
    const warmup = await startClientRun(sim.url, LISTS.warmup, concurrency);
    await warmup.send(work.slice(0, 3));
    await warmup.close();
    await soapClients.recipient.clearAsync!({ in0: sessionId, in1: LISTS.warmup });
    await baselineRun(soapClients.recipient, sessionId, LISTS.warmup, work.slice(0, 3), { requestBytes: 0, codes: [] });

    await soapClients.recipient.clearAsync!({ in0: sessionId, in1: LISTS.baseline });
    const ours = await startClientRun(sim.url, LISTS.client, concurrency);
    const baselineResult: RunResult = { requestBytes: 0, codes: [] };
    const baseline = emptyTotals();
    const client = emptyTotals();
    for (const round of rounds) {
      await measureInto(baseline, sim.cpuMs, () => baselineRun(soapClients.recipient, sessionId, LISTS.baseline, round, baselineResult));
      await measureInto(client, sim.cpuMs, () => ours.send(round));
    }
    await ours.close();
    const counts = await listCounts(sim.url);
    report({
      recipients,
      batches: work.length,
      rounds: rounds.length,
      concurrency,
      baseline: { ...baseline, result: baselineResult, inList: counts.baseline },
      ours: { ...client, result: ours.result, inList: counts.client },
    });
  } finally {
    await sim.stop();
  }
}

function chunk(items: Batch[], size: number): Batch[][] {
  const out: Batch[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function listCounts(url: string): Promise<{ baseline: number; client: number }> {
  const client = createOptimizelyClient({ baseUrl: url, ...MANDATOR });
  try {
    return {
      baseline: await client.recipient.getCount({ listId: LISTS.baseline }),
      client: await client.recipient.getCount({ listId: LISTS.client }),
    };
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
