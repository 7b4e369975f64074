// bench/soap-refill/refill-cpu.ts: the worker's CPU per batch of the production refill (refillChunk:
// snapshot batches read from a SQLite file store, addAll3 envelopes written, HTTP, responses read,
// sent-batch rows) against the simulator in a child process, so this process's CPU time is the
// refill's alone. Rounds alternate between two lists, each cleared first; the first round warms up.
// --store postgres reads the snapshot from and records the batches in a PostgreSQL store on a throwaway
// server of the bench's own (as the daily-sync bench does), and prints the server's CPU per batch too.
// --sent-batch-group N writes the sent-batch rows N batches at a time (1: one write per batch, as before
// the grouping; default: the refill's own choice).
// Usage: npx tsx bench/soap-refill/refill-cpu.ts [--recipients 30000] [--concurrency 8] [--rounds 5] [--store sqlite|postgres]
//        [--sent-batch-group N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOptimizelyClient } from '../../src/optimizely/client';
import { createStateStore } from '../../src/store';
import type { SnapshotRow } from '../../src/store/types';
import { startTestPostgres } from '../../test/helpers/postgres';
import { emptyTotals, measureInto } from './measure';
import { postgresCpuSampler } from './postgres-cpu';
import { clearAndRefill } from './production-refill';
import { startChildSimulator } from './start-child';
import { LISTS, MANDATOR, seed } from './workload';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string', default: '30000' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '5' },
      store: { type: 'string', default: 'sqlite' },
      'sent-batch-group': { type: 'string' },
    },
  });
  const recipients = Number(values.recipients);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const sentBatchGroup = values['sent-batch-group'] === undefined ? undefined : Number(values['sent-batch-group']);
  const dir = mkdtempSync(join(tmpdir(), 'refill-cpu-'));
  if (values.store !== 'sqlite' && values.store !== 'postgres') throw new Error(`--store takes sqlite or postgres, got ${values.store}`);
  const postgres = values.store === 'postgres' ? await startTestPostgres() : undefined;
  const sim = await startChildSimulator(seed());
  const store = await createStateStore(
    postgres ? { kind: 'postgres', url: postgres.url, poolSize: 4 } : { kind: 'sqlite', file: join(dir, 'state.sqlite') },
  );
  const server = postgres ? await postgresCpuSampler(postgres.url) : undefined;
  const client = createOptimizelyClient({ baseUrl: sim.url, ...MANDATOR, concurrency });
  try {
    const { snapshotRef } = await store.snapshots.write({ client: 'bench', listKey: 'bench', runId: 'bench' }, demoLikeRows(recipients));
    const batches = Math.ceil(recipients / 1000);
    const refill = async (run: number) => {
      const listId = run % 2 === 0 ? LISTS.baseline : LISTS.client;
      const done = await clearAndRefill({
        optimizely: client,
        store,
        snapshotRef,
        recipients,
        listId,
        runId: `bench-${run}`,
        concurrency,
        sentBatchGroup,
      });
      if (done.sent !== recipients) throw new Error(`round ${run} sent ${done.sent} of ${recipients}`);
    };
    await refill(-1);
    const totals = emptyTotals();
    const storeCpuBefore = (await server?.cpuMs()) ?? 0;
    for (let run = 0; run < rounds; run += 1) await measureInto(totals, sim.cpuMs, () => refill(run));
    const storeCpu = ((await server?.cpuMs()) ?? 0) - storeCpuBefore;
    const perBatch = (ms: number) => (ms / (batches * rounds)).toFixed(2);
    console.log(
      `refill of ${recipients} recipients x ${rounds} rounds, concurrency ${concurrency}, ${values.store} store, sent-batch rows per write ${sentBatchGroup ?? 'default'}`,
    );
    console.log(
      `${Math.round((recipients * rounds) / (totals.wallMs / 1000)).toLocaleString('en')} recipients/s  ` +
        `wall ${perBatch(totals.wallMs)} ms/batch  client CPU ${perBatch(totals.cpuMs)} ms/batch  simulator CPU ${perBatch(totals.serverCpuMs)} ms/batch` +
        (server ? `  PostgreSQL CPU ${perBatch(storeCpu)} ms/batch` : ''),
    );
  } finally {
    await client.close();
    await store.close();
    await server?.close();
    await sim.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows shaped like the demo CRM's: four personal attributes, non-ASCII names, an occasional `&`. */
function demoLikeRows(count: number): SnapshotRow[] {
  const cities = ['Düsseldorf', 'İstanbul', 'São Paulo', 'Hamburg', 'Zürich & Umgebung'];
  return Array.from({ length: count }, (_, i) => ({
    recipientId: `anna.degard.c${i}@example.org`,
    email: `anna.degard.c${i}@example.org`,
    optInId: '11',
    description: 'Newsletter',
    mediaType: 'email',
    entityType: 'contact',
    entityId: `C${String(i).padStart(7, '0')}`,
    attributes: {
      firstname: `Anna${i % 97}`,
      lastname: i % 3 === 0 ? 'Ødegård' : `Last${i % 991}`,
      city: cities[i % cities.length]!,
      zip: String(10000 + (i % 89999)),
      country: 'DE',
    },
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
