import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SqlDb } from '../../src/db/sql-db';
import { canonicalJson, createStateStore, stateStoreMigrations, type StateStoreConfig } from '../../src/store';
import { LEDGER_COLUMNS, LEDGER_TYPES, ledgerValues } from '../../src/store/sql/ledger-rows';
import { recordSentLedger } from '../../src/sync/record-sent-ledger';
import { startTestPostgres } from '../../test/helpers/postgres';
import { exclusions, firstDay, listRow, nextDay, type ListDay } from './day-workload';

// Bytes the state store grows by per recipient and day, the span layout (migrations 10-11) beside
// one row per entry and ordinal (migrations 1-9) written in the same run with the same days.
// Usage: npx tsx bench/state-store/growth.ts [recipients] [sqlite|postgres]
const RECIPIENTS = Number(process.argv[2] ?? 20_000);
const ENGINES = process.argv[3] ? [process.argv[3]] : ['sqlite', 'postgres'];
const DAYS: Array<[string, number]> = [
  ['day 1: first run', 0],
  ['day 2: unchanged', 0],
  ['day 3: 1% churn', 0.01],
  ['day 4: unchanged', 0],
  ['day 5: 1% churn', 0.01],
];
const META = { client: 'bench', listKey: 'newsletter' };

interface Layout {
  writeDay(runId: string, day: ListDay, at: string): Promise<void>;
  close(): Promise<void>;
}

async function spanLayout(config: StateStoreConfig): Promise<Layout> {
  const store = await createStateStore(config);
  return {
    async writeDay(runId, day, at) {
      const run = { runId, kind: 'list' as const, ...META, startedAt: at, endedAt: null, counts: {} };
      await store.runs.upsert({ ...run, status: 'running', snapshot: null });
      await store.ledger.record(exclusions(runId, day.members.length));
      const summary = await store.snapshots.write({ ...META, runId }, rowsOf(day));
      for (let batchNo = 0; batchNo * 1000 < summary.count; batchNo += 1) {
        const size = Math.min(1000, summary.count - batchNo * 1000);
        await store.ledger.recordBatch({ runId, ...META, snapshotRef: summary.snapshotRef, batchNo, resultCodes: Array(size).fill(0) });
      }
      await recordSentLedger({ store, runId, listKey: META.listKey, checkpoint: () => undefined });
      await store.runs.upsert({ ...run, status: 'completed', snapshot: summary });
    },
    close: () => store.close(),
  };
}

/** What the store wrote before migration 10: the same statements, on the schema of migrations 1-9. */
async function rowLayout(config: StateStoreConfig): Promise<Layout> {
  const db = openSqlDb(config);
  await db.migrate(stateStoreMigrations(config.kind).filter((m) => m.version <= 9));
  const ledger = (entries: ReturnType<typeof exclusions>) =>
    db.insertRows({ table: 'ledger_entries', columns: LEDGER_COLUMNS, types: LEDGER_TYPES, rows: entries.map(ledgerValues) });
  return {
    async writeDay(runId, day, at) {
      const ref = `snap-${runId}`;
      await db.run(
        `INSERT INTO runs (run_id, kind, client, list_key, status, started_at, counts) VALUES (?, 'list', ?, ?, 'completed', ?, '{}')`,
        [runId, META.client, META.listKey, at],
      );
      await ledger(exclusions(runId, day.members.length));
      await db.run(
        "INSERT INTO snapshots (snapshot_ref, client, list_key, run_id, status, created_at) VALUES (?, ?, ?, ?, 'complete', ?)",
        [ref, META.client, META.listKey, runId, at],
      );
      const rows = [...rowsOf(day)];
      for (let from = 0; from < rows.length; from += 1000) {
        const part = rows.slice(from, from + 1000).map((row, k) => [ref, from + k, canonicalJson(row)]);
        await db.insertRows({ table: 'snapshot_rows', columns: ['snapshot_ref', 'ordinal', 'row_json'], rows: part });
        await db.run('INSERT INTO sent_batches VALUES (?, ?, ?, ?, ?, ?)', [
          runId,
          META.listKey,
          from / 1000,
          ref,
          '0'.repeat(part.length),
          at,
        ]);
      }
      for (let from = 0; from < rows.length; from += 5000) {
        await ledger(
          rows.slice(from, from + 5000).map((row) => ({
            runId,
            listKey: META.listKey,
            outcome: 'sent' as const,
            resultCode: 0 as const,
            recipientId: String(row.recipientId),
            entityType: String(row.entityType),
            entityId: String(row.entityId),
          })),
        );
      }
    },
    close: () => db.close(),
  };
}

function* rowsOf(day: ListDay) {
  for (const [id, version] of day.members) yield listRow(id, version);
}

/** Bytes in use: SQLite pages not on the free list after a checkpoint; PostgreSQL tables with indexes and TOAST after a VACUUM (what autovacuum leaves). */
async function bytesInUse(config: StateStoreConfig): Promise<number> {
  if (config.kind === 'sqlite') {
    const db = new Database(config.file);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const pages = Number(db.pragma('page_count', { simple: true })) - Number(db.pragma('freelist_count', { simple: true }));
      return pages * Number(db.pragma('page_size', { simple: true }));
    } finally {
      db.close();
    }
  }
  const db: SqlDb = openSqlDb(config);
  try {
    await db.run('VACUUM');
    const [row] = await db.all<{ bytes: string }>(
      `SELECT SUM(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    return Number(row?.bytes ?? 0);
  } finally {
    await db.close();
  }
}

async function run(name: string, config: StateStoreConfig, open: (config: StateStoreConfig) => Promise<Layout>): Promise<number[]> {
  const layout = await open(config);
  const perDay: number[] = [];
  try {
    let day = firstDay(RECIPIENTS);
    let nextId = RECIPIENTS;
    let before = await bytesInUse(config);
    for (const [n, [label, churn]] of DAYS.entries()) {
      if (n > 0) day = nextDay(day, churn, nextId);
      nextId += RECIPIENTS;
      const started = performance.now();
      await layout.writeDay(`run-${n + 1}`, day, new Date(Date.UTC(2026, 0, n + 1)).toISOString());
      const seconds = (performance.now() - started) / 1000;
      const after = await bytesInUse(config);
      perDay.push((after - before) / day.members.length);
      console.log(
        `${name.padEnd(28)} ${label.padEnd(18)} ${(perDay[n] as number).toFixed(1).padStart(9)} bytes/recipient  ${seconds.toFixed(1).padStart(6)} s`,
      );
      before = after;
    }
  } finally {
    await layout.close();
  }
  return perDay;
}

async function engine(kind: 'sqlite' | 'postgres', config: () => Promise<StateStoreConfig>): Promise<void> {
  const rows = await run(`${kind}: row per entry (1-9)`, await config(), rowLayout);
  const spans = await run(`${kind}: spans (10-11)`, await config(), spanLayout);
  for (const [n, [label]] of DAYS.entries()) {
    if (n === 0) continue;
    const ratio = ((spans[n] as number) / (rows[n] as number)) * 100;
    console.log(`${kind}: ${label.padEnd(18)} spans ${ratio.toFixed(1)}% of rows`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-growth-'));
  console.log(`${RECIPIENTS.toLocaleString('en-US')} recipients, 2% of the selection excluded every day`);
  try {
    let n = 0;
    if (ENGINES.includes('sqlite')) await engine('sqlite', async () => ({ kind: 'sqlite', file: join(dir, `store-${(n += 1)}.sqlite`) }));
    if (ENGINES.includes('postgres')) {
      const server = await startTestPostgres();
      const { createTestDatabase } = await import('../../test/helpers/postgres');
      try {
        await engine('postgres', async () => ({ kind: 'postgres', url: await createTestDatabase(server.url) }));
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
