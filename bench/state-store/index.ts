import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { canonicalJson, createStateStore, type LedgerEntry, type SnapshotRow, type StateStoreConfig } from '../../src/store';
import type { SnapshotWriter } from '../../src/store/state-store';
import { openPostgresDb } from '../../src/db/postgres-db';
import { createSqlStateStore } from '../../src/store/sql/sql-state-store';
import { startTestPostgres } from '../../test/helpers/postgres';
import { measure } from './measure';

// Ledger and snapshot throughput of both engines at refill batch size, beside the floor of writing and
// reading the same rows as a JSON-lines file; on PostgreSQL also the former INSERT batches beside COPY. Usage: npx tsx bench/state-store/index.ts [rows] [sqlite|postgres] [bulk]
// (`bulk`: only the PostgreSQL INSERT-versus-COPY comparison)
const ROWS = Number(process.argv[2] ?? 1_000_000);
const ENGINES = process.argv[3] ? [process.argv[3]] : ['sqlite', 'postgres'];
const ONLY_BULK = process.argv[4] === 'bulk';
const BATCH = 1000;

function row(i: number): SnapshotRow {
  return {
    recipientId: `user${i}@example.test`,
    email: `user${i}@example.test`,
    technicalFields: {
      'opt-in-id': '42',
      description: 'newsletter',
      'media-type': 'email',
      'entity-type': 'contact',
      'entity-id': `c-${i}`,
    },
    attributes: { firstName: 'Zoë', lastName: 'Łukasiewicz', salutation: 'Ms' },
  };
}

function* rows(count: number): Iterable<SnapshotRow> {
  for (let i = 0; i < count; i += 1) yield row(i);
}

function ledgerBatch(runId: string, from: number): LedgerEntry[] {
  return Array.from({ length: Math.min(BATCH, ROWS - from) }, (_, k) => ({
    runId,
    listKey: 'newsletter',
    recipientId: `user${from + k}@example.test`,
    entityType: 'contact',
    entityId: `c-${from + k}`,
    outcome: 'sent',
    resultCode: 0,
  }));
}

async function baseline(dir: string): Promise<void> {
  const file = join(dir, 'rows.jsonl');
  await measure('baseline: JSON-lines file write', ROWS, async () => {
    const out = createWriteStream(file);
    for (const r of rows(ROWS))
      if (!out.write(`${canonicalJson(r)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    out.end();
    await finished(out);
  });
  await measure('baseline: JSON-lines file read', ROWS, async () => {
    let n = 0;
    for await (const line of createInterface({ input: createReadStream(file) })) n += JSON.parse(line) ? 1 : 0;
    return n;
  });
}

async function engine(config: StateStoreConfig): Promise<void> {
  const store = await createStateStore(config);
  const name = config.kind;
  try {
    await measure(`${name}: ledger.record, batches of ${BATCH}`, ROWS, async () => {
      for (let from = 0; from < ROWS; from += BATCH) await store.ledger.record(ledgerBatch('bench', from));
    });
    await measure(`${name}: ledger.record again (resumed, all skipped)`, 100_000, async () => {
      for (let from = 0; from < 100_000; from += BATCH) await store.ledger.record(ledgerBatch('bench', from));
    });
    await measure(`${name}: ledger.stream (CSV report read)`, ROWS, async () => {
      let n = 0;
      for await (const _entry of store.ledger.stream('bench')) n += 1;
      return n;
    });
    await measure(`${name}: ledger.count`, ROWS, () => store.ledger.count('bench'));
    const summary = await measure(`${name}: snapshots.write`, ROWS, () =>
      store.snapshots.write({ client: '1', listKey: 'newsletter', runId: 'bench' }, rows(ROWS)),
    );
    for (const size of [100_000, ROWS]) {
      await measure(`${name}: snapshots.batches, first ${size.toLocaleString('en-US')}`, size, async () => {
        for await (const batch of store.snapshots.batches(summary.snapshotRef)) if (batch.offset + BATCH >= size) break;
      });
    }
    await measure(`${name}: snapshots.verify`, ROWS, () => store.snapshots.verify(summary.snapshotRef));
  } finally {
    await store.close();
  }
}

/**
 * The former bulk path (batched INSERT statements) beside COPY on the same server. The two take
 * turns batch by batch, so a shared machine's load falls on both alike.
 */
async function postgresBulkPaths(url: string): Promise<void> {
  await (await createStateStore({ kind: 'postgres', url })).close(); // applies the migrations
  const paths = [
    { label: 'INSERT batches', store: createSqlStateStore(openPostgresDb(url, { bulkInsert: 'statements' })) },
    { label: 'COPY', store: createSqlStateStore(openPostgresDb(url)) },
  ].map((p) => ({ ...p, runId: `bulk-${p.label}`, seconds: { ledger: 0, resumed: 0, snapshot: 0 } }));
  const timed = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return (performance.now() - started) / 1000;
  };
  try {
    const writers = await Promise.all(paths.map((p) => p.store.snapshots.open({ client: '1', listKey: 'newsletter', runId: p.runId })));
    for (let from = 0; from < ROWS; from += BATCH) {
      const snapshotRows = Array.from({ length: Math.min(BATCH, ROWS - from) }, (_, k) => row(from + k));
      for (const i of (from / BATCH) % 2 === 0 ? [0, 1] : [1, 0]) {
        const p = paths[i] as (typeof paths)[number];
        p.seconds.ledger += await timed(() => p.store.ledger.record(ledgerBatch(p.runId, from)));
        p.seconds.resumed += await timed(() => p.store.ledger.record(ledgerBatch(p.runId, from)));
        p.seconds.snapshot += await timed(() => (writers[i] as SnapshotWriter).append(snapshotRows));
      }
    }
    await Promise.all(writers.map((w) => w.finish()));
    for (const p of paths) {
      for (const [what, seconds] of Object.entries(p.seconds)) {
        const label = { ledger: 'ledger.record', resumed: 'ledger.record again (all skipped)', snapshot: 'snapshot append' }[what];
        const rate = Math.round(ROWS / seconds).toLocaleString('en-US');
        console.log(
          `${`postgres ${p.label}: ${label}`.padEnd(56)} ${ROWS.toLocaleString('en-US').padStart(10)} rows  ${seconds.toFixed(1).padStart(6)} s  ${rate.padStart(9)} rows/s`,
        );
      }
    }
  } finally {
    for (const p of paths) await p.store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-store-'));
  try {
    if (!ONLY_BULK) await baseline(dir);
    if (ENGINES.includes('sqlite') && !ONLY_BULK) await engine({ kind: 'sqlite', file: join(dir, 'store.sqlite') });
    if (ENGINES.includes('postgres')) {
      const server = await startTestPostgres();
      try {
        if (!ONLY_BULK) await engine({ kind: 'postgres', url: server.url });
        await postgresBulkPaths(server.url);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
