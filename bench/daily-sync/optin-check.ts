// bench/daily-sync --optin-check: the refill alone (refillChunk over HTTP against the simulator in a
// child process, a SQLite state store), the same snapshot into a regular and an opt-in list, in
// alternating order, so the cost of asking Optimizely's unsubscribe list before every opt-in batch
// is read without the daily run's Temporal and CRM noise. Latencies as in the daily run. Each round
// also times the guard's count before the clear (countOptimizelyUnsubscribes) over the same snapshot.
// Usage: npx tsx bench/daily-sync/optin-check.ts [--recipients 20000] [--latency-ms 0,100] [--rounds 3]
import { parseArgs } from 'node:util';
import { DEMO_CLIENT, DEMO_PASSWORD, demoSimulatorSeed } from '../../src/demo/demo-config';
import { createOptimizelyClient } from '../../src/optimizely/client';
import { createStateStore } from '../../src/store';
import type { SnapshotRow } from '../../src/store/types';
import { attributeNamesFor } from '../../src/sync/recipient-batch';
import { refillChunk } from '../../src/sync/refill-chunk';
import { countOptimizelyUnsubscribes } from '../../src/sync/unsubscribe-check';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';
import { startChildSimulator } from '../soap-refill/start-child';

const LISTS = { regular: { listId: 100, optinProcessId: 0 }, optin: { listId: 200, optinProcessId: 11 } } as const;
const CONCURRENCY = 8;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recipients: { type: 'string', default: '20000' },
      'latency-ms': { type: 'string', default: '0,100' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const recipients = Number(values.recipients);
  const seed = demoSimulatorSeed() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw seed
  seed.clients[0].optinProcesses = [{ id: 11, type: 'single' }];
  seed.clients[0].lists[1].type = 'optin';
  // One in a hundred recipients is on the unsubscribe list: the opt-in refill leaves them out.
  seed.clients[0].unsubscribes = Array.from({ length: recipients / 100 }, (_, i) => address(i * 100));
  const sim = await startChildSimulator(seed);
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const optimizely = createOptimizelyClient({
    baseUrl: sim.url,
    mandatorId: DEMO_CLIENT.mandatorId,
    username: DEMO_CLIENT.username,
    password: DEMO_PASSWORD,
    concurrency: CONCURRENCY,
  });
  try {
    const { snapshotRef } = await store.snapshots.write(
      { client: 'bench', listKey: 'l', runId: 'snap' },
      Array.from({ length: recipients }, (_, i) => row(i)),
    );
    const endBatch = Math.ceil(recipients / REFILL_BATCH_SIZE);
    for (const latencyMs of values['latency-ms'].split(',').map(Number)) {
      await fetch(`${sim.url}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs }),
      });
      const seconds: Record<keyof typeof LISTS, number[]> = { regular: [], optin: [] };
      // The guard's count before the clear (exportList on an opt-in list): the same questions, no addAll3.
      const counting: number[] = [];
      for (let round = 0; round < Number(values.rounds); round += 1) {
        const countStarted = performance.now();
        const counted = await countOptimizelyUnsubscribes({ optimizely, store, snapshotRef });
        counting.push((performance.now() - countStarted) / 1000);
        if (counted !== recipients / 100) throw new Error(`count before the clear found ${counted}, expected ${recipients / 100}`);
        for (const variant of (round % 2 === 0 ? ['regular', 'optin'] : ['optin', 'regular']) as Array<keyof typeof LISTS>) {
          const list = LISTS[variant];
          await optimizely.recipient.clear({ listId: list.listId });
          const started = performance.now();
          const acked = await refillChunk({
            optimizely,
            store,
            client: 'bench',
            runId: `${latencyMs}-${round}-${variant}`,
            listKey: variant,
            list,
            attributeNames: attributeNamesFor({}),
            snapshotRef,
            firstBatch: 0,
            endBatch,
            concurrency: CONCURRENCY,
            deferLedger: true,
            checkpoint: () => undefined,
          });
          seconds[variant].push((performance.now() - started) / 1000);
          if (variant === 'optin' && acked.unsubscribed !== recipients / 100)
            throw new Error(`opt-in refill left out ${acked.unsubscribed}, expected ${recipients / 100}`);
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const [r, o] = [median(seconds.regular), median(seconds.optin)];
      console.log(
        `${latencyMs} ms per call, ${recipients} recipients (${endBatch} batches, ${CONCURRENCY} in flight): refill regular ${r.toFixed(2)} s, opt-in ${o.toFixed(2)} s (medians of ${seconds.regular.length}): +${(o - r).toFixed(2)} s, ${(((o - r) / endBatch) * 1000).toFixed(1)} ms per batch, ${((o / r - 1) * 100).toFixed(0)} %`,
      );
      console.log(
        `  runs regular ${seconds.regular.map((s) => s.toFixed(2)).join(' ')}; opt-in ${seconds.optin.map((s) => s.toFixed(2)).join(' ')}`,
      );
      console.log(
        `  count before the clear (opt-in, guard): median ${median(counting).toFixed(2)} s (${counting.map((s) => s.toFixed(2)).join(' ')}), ${((median(counting) / o) * 100).toFixed(0)} % of the opt-in refill; before the clear, not in the list's window`,
      );
    }
  } finally {
    await optimizely.close();
    await store.close();
    await sim.stop();
  }
}

function address(i: number): string {
  return `r${String(i).padStart(7, '0')}@example.test`;
}

function row(i: number): SnapshotRow {
  return {
    recipientId: address(i),
    email: address(i),
    optInId: '11',
    description: '',
    mediaType: 'email',
    entityType: 'contact',
    entityId: `C${i}`,
    attributes: {},
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
