import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStateStore, type SnapshotRow, type StateStore } from '../../src/store';
import { compareWithLastGood } from '../../src/sync/attribute-baseline';
import { startTestPostgres } from '../../test/helpers/postgres';

// The attribute guard's cost at a million recipients (docs/daily-sync.md, "Attribute values"), on
// SQLite and PostgreSQL: reading the last good snapshot into the comparison's index, and comparing
// an export's rows with it as the export writes them, beside the reference of reading the snapshot
// once (what the unsubscribe check before the clear already does). Everything here runs inside
// exportList, before the clear: the clear-to-ready window has no step added.
// Usage: npx tsx bench/attribute-guard/index.ts [recipients] [sqlite|postgres]

const N = Number(process.argv[2] ?? 1_000_000);
const ENGINES = process.argv[3] ? [process.argv[3]] : ['sqlite', 'postgres'];
const NAMES = ['salutation', 'firstname', 'lastname', 'city'];
const FIRST = ['Anna', 'Jörg', 'Zoë', 'Łukasz', 'Marie', 'Ole', 'Ana María', 'Björn'];

function row(i: number, day: number): SnapshotRow {
  const id = `person-${i}@example.test`;
  // Day 1: 1% of first names emptied, everything else as the day before.
  const firstname = day === 1 && i % 100 === 0 ? '' : FIRST[i % FIRST.length]!;
  return {
    recipientId: id,
    email: id,
    optInId: '11',
    description: 'Newsletter',
    mediaType: 'email',
    entityType: 'contact',
    entityId: String(i),
    attributes: { salutation: i % 2 ? 'Herr' : 'Frau', firstname, lastname: `Name${i % 997}`, city: 'Köln' },
  } as unknown as SnapshotRow;
}

function* rows(day: number): Generator<SnapshotRow> {
  for (let i = 0; i < N; i++) yield row(i, day);
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function measure(label: string, store: StateStore): Promise<void> {
  const t0 = process.hrtime.bigint();
  const previous = await store.snapshots.write({ client: 'b', listKey: 'l', runId: 'day0' }, rows(0));
  console.log(`${label}: wrote the last good snapshot (${previous.count}) in ${seconds(t0).toFixed(1)} s`);

  // Reference: one read of a million-row snapshot (as the unsubscribe check before the clear reads it).
  let t = process.hrtime.bigint();
  let read = 0;
  for await (const batch of store.snapshots.batches(previous.snapshotRef)) read += batch.rows.length;
  const reference = seconds(t);
  console.log(`${label}: reference, one read of the snapshot (${read} rows): ${reference.toFixed(2)} s`);

  // The comparison: the index read from the last good snapshot, then the export's rows compared.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  t = process.hrtime.bigint();
  const comparison = compareWithLastGood({ store, snapshotRef: previous.snapshotRef, names: NAMES });
  await comparison.observe([]); // waits for the index
  const load = seconds(t);
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const today: SnapshotRow[] = [];
  let compare = 0;
  for (const r of rows(1)) {
    today.push(r);
    if (today.length === 1000) {
      const c = process.hrtime.bigint();
      await comparison.observe(today);
      compare += seconds(c);
      today.length = 0;
    }
  }
  if (today.length > 0) await comparison.observe(today);
  const result = await comparison.result();
  console.log(
    `${label}: index of the last good run ${load.toFixed(2)} s (${((heapAfter - heapBefore) / 2 ** 20).toFixed(0)} MiB), ` +
      `comparing ${N} exported rows ${compare.toFixed(2)} s; kept ${result?.kept}, firstname ${JSON.stringify(result?.lost.firstname)}`,
  );
  console.log(
    `${label}: added to exportList (worst case, the index not hidden behind the CRM read): ${(load + compare).toFixed(2)} s = ${((load + compare) / reference).toFixed(2)} × the reference read`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-attr-'));
  try {
    if (ENGINES.includes('sqlite')) {
      const store = await createStateStore({ kind: 'sqlite', file: join(dir, 'store.sqlite') });
      try {
        await measure('sqlite', store);
      } finally {
        await store.close();
      }
    }
    if (ENGINES.includes('postgres')) {
      const server = await startTestPostgres();
      try {
        const store = await createStateStore({ kind: 'postgres', url: server.url });
        try {
          await measure('postgres', store);
        } finally {
          await store.close();
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
