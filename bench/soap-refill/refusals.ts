// bench/soap-refill --refusals: the refill (refillChunk, the production code path, ledger deferred)
// of one snapshot into the simulator, clean and with one recipient in 10,000 refused on its own (the
// simulator's refuseRecipients: the whole addAll3 call holding it is refused, so the refill narrows
// the batch down). The two alternate in rounds, so load from other processes falls on both.
// Usage: npx tsx bench/soap-refill/refusals.ts [--recipients 30000] [--concurrency 8] [--rounds 3]
import { parseArgs } from 'node:util';
import { createOptimizelyClient } from '../../src/optimizely/client';
import { createStateStore } from '../../src/store';
import type { SnapshotRow } from '../../src/store/types';
import type { RefillCheckpoint } from '../../src/sync/refill-chunk';
import { emptyTotals, measureInto, type Totals } from './measure';
import { clearAndRefill } from './production-refill';
import { startChildSimulator } from './start-child';
import { LISTS, MANDATOR, seed } from './workload';

const REFUSED_EVERY = 10_000;
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string', default: '30000' },
      concurrency: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const recipients = Number(values.recipients);
  const concurrency = Number(values.concurrency);
  const sim = await startChildSimulator(seed());
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const client = createOptimizelyClient({ baseUrl: sim.url, ...MANDATOR, concurrency });
  try {
    const { snapshotRef } = await store.snapshots.write({ client: 'bench', listKey: 'bench', runId: 'bench' }, rows(recipients));
    const refused = Array.from(
      { length: Math.floor(recipients / REFUSED_EVERY) },
      (_, k) => `recipient.${k * REFUSED_EVERY + REFUSED_EVERY / 2}@bench.example`,
    );
    let run = 0;
    const refill = (listId: number) => {
      run += 1;
      return clearAndRefill({ optimizely: client, store, snapshotRef, recipients, listId, runId: `bench-${run}`, concurrency });
    };
    await refill(LISTS.warmup);
    const clean = emptyTotals();
    const withRefusals = emptyTotals();
    const results: Record<string, RefillCheckpoint> = {};
    for (let round = 0; round < Number(values.rounds); round += 1) {
      await admin(sim.url, { refuseRecipients: [] });
      await measureInto(clean, sim.cpuMs, async () => void (results.clean = await refill(LISTS.baseline)));
      await admin(sim.url, { refuseRecipients: refused });
      await measureInto(withRefusals, sim.cpuMs, async () => void (results.refusals = await refill(LISTS.client)));
    }
    const sent = recipients * Number(values.rounds);
    const rate = (t: Totals) => sent / (t.wallMs / 1000);
    const line = (name: string, t: Totals, r: RefillCheckpoint | undefined) =>
      `${name.padEnd(22)} ${Math.round(rate(t)).toLocaleString('en')} recipients/s  wall ${(t.wallMs / 1000).toFixed(2)} s  client CPU ${(t.cpuMs / 1000).toFixed(2)} s  simulator CPU ${(t.serverCpuMs / 1000).toFixed(2)} s  last round: sent ${r?.sent}, rejected ${r?.rejected ?? 0}`;
    console.log(
      `refill of ${recipients} recipients × ${values.rounds} rounds, concurrency ${concurrency}, ${refused.length} refused per round`,
    );
    console.log(line('clean', clean, results.clean));
    console.log(line('1 refused per 10,000', withRefusals, results.refusals));
    const ratio = rate(withRefusals) / rate(clean);
    console.log(`ratio ${ratio.toFixed(3)}: ${ratio >= 0.9 ? 'PASS' : 'FAIL'} (within 10% of the clean rate)`);
    const complete = results.refusals?.sent === recipients - refused.length && results.refusals?.rejected === refused.length;
    console.log(`completeness: ${complete ? 'PASS' : 'FAIL'} (every other recipient sent, each refused one rejected)`);
  } finally {
    await client.close();
    await store.close();
    await sim.stop();
  }
}

function rows(count: number): SnapshotRow[] {
  return Array.from({ length: count }, (_, i) => ({
    recipientId: `recipient.${i}@bench.example`,
    email: `recipient.${i}@bench.example`,
    optInId: '11',
    description: 'Newsletter contact',
    mediaType: 'email',
    entityType: 'contact',
    entityId: `0031${String(i).padStart(8, '0')}`,
    attributes: {
      firstname: `First${i % 997}`,
      lastname: `Last${i % 991}`,
      city: 'Düsseldorf',
      zip: String(10000 + (i % 89999)),
      country: 'DE',
    },
  }));
}

async function admin(url: string, faults: unknown): Promise<void> {
  const response = await fetch(`${url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`admin answered ${response.status}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
