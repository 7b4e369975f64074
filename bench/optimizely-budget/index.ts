// bench/optimizely-budget: the Optimizely budget shared by all workers (docs/operations.md, "Scaling
// workers"). Part 1: the cost per SOAP call of taking a slot, local semaphore vs leased budget.
// Part 2: a refill of both demo lists on one worker and then on two worker processes, PostgreSQL
// store, shared budget: refill rate and the simulator's peak calls in flight for the client.
// Usage: npx tsx bench/optimizely-budget/index.ts [--calls 20000] [--contacts 20000] [--concurrency 8] [--latency-ms 50]
import { parseArgs } from 'node:util';
import { startTestPostgres, createTestDatabase } from '../../test/helpers/postgres';
import { measureSlotCost } from './slot-cost';
import { measureRefill, prepareBundle } from './two-worker-refill';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '20000' },
      contacts: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '8' },
      'latency-ms': { type: 'string', default: '50' },
      'skip-refill': { type: 'boolean', default: false },
    },
  });
  const postgres = await startTestPostgres();
  try {
    console.log(`== slot cost per call (${values.calls} calls, 40 in flight per worker, each holding its slot one event-loop turn)`);
    const costs = await measureSlotCost(await createTestDatabase(postgres.url), Number(values.calls));
    for (const c of costs)
      console.log(
        `${c.label.padEnd(52)} ${c.usPerCall.toFixed(1).padStart(7)} µs/call   ${c.claimsPer1000.toFixed(1)} claims per 1000 calls`,
      );
    const local = costs[0]!.usPerCall;
    for (const c of costs.slice(1)) console.log(`  ${c.label}: +${(c.usPerCall - local).toFixed(1)} µs per call over the local semaphore`);
    if (values['skip-refill']) return;
    const refill = { contacts: Number(values.contacts), concurrency: Number(values.concurrency), latencyMs: Number(values['latency-ms']) };
    console.log(
      `\n== refill of both demo lists, ${refill.contacts} contacts, concurrency ${refill.concurrency} (shared), ${refill.latencyMs} ms per call`,
    );
    await prepareBundle();
    // Two runs with two workers: which worker a list sync lands on is up to Temporal's task matching.
    for (const workers of [1, 2, 2]) {
      const r = await measureRefill({ ...refill, workers, storeUrl: await createTestDatabase(postgres.url) });
      console.log(
        `${workers} worker(s): ${r.recipients} recipients, refill ${r.refillSeconds.toFixed(2)} s = ${r.perSecond.toFixed(0)} recipients/s; ` +
          `simulator peak ${r.peak} calls in flight (limit ${refill.concurrency}), ${r.refused} refused; refill chunks per worker ${JSON.stringify(r.chunksPerWorker)}, workflow tasks by ${JSON.stringify(r.workflowWorkers)}`,
      );
    }
  } finally {
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
