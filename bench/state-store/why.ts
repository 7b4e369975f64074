import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SqlValue } from '../../src/db/sql-db';
import { createStateStore, type StateStoreConfig } from '../../src/store';
import { SPAN_COLUMNS, SPAN_TYPES } from '../../src/store/sql/ledger-span-rows';
import { storeListId } from '../../src/store/sql/store-lists';
import { createTestDatabase, startTestPostgres } from '../../test/helpers/postgres';

// `why` latency on a ledger of `recipients` × `days` daily runs with 1% of the recipients changing
// every day, generated straight into the span layout (what 90 days of runs leave after migration 11,
// not written through the workflows). Usage: npx tsx bench/state-store/why.ts [recipients] [days] [sqlite|postgres]
const RECIPIENTS = Number(process.argv[2] ?? 100_000);
const DAYS = Number(process.argv[3] ?? 90);
const ENGINES = process.argv[4] ? [process.argv[4]] : ['sqlite', 'postgres'];
const LOOKUPS = 200;

/** Deterministic ~1%: whether recipient i changed (entity and result code) on day d. */
const changes = (i: number, day: number) => day > 1 && (i * 7919 + day * 104_729) % 100 === 0;

/** Recipient i's spans: a new one on each day it changed. */
function spansOf(listId: number, i: number): SqlValue[][] {
  const spans: SqlValue[][] = [];
  let first = 1;
  let version = 0;
  for (let day = 2; day <= DAYS + 1; day += 1) {
    if (day <= DAYS && !changes(i, day)) continue;
    const code = version % 2 === 0 ? 0 : 5;
    spans.push([listId, 'sent', `user${i}@example.test`, 'contact', `c-${i}-${version}`, code, null, null, null, first, day - 1]);
    first = day;
    version += 1;
  }
  // 2% of the selection excluded every day, one span each.
  if (i % 50 === 0)
    spans.push([listId, 'excluded', `nocons${i}@example.test`, 'contact', `n-${i}`, null, i + 1, 'consent_missing', null, 1, DAYS]);
  return spans;
}

async function generate(config: StateStoreConfig): Promise<number> {
  const store = await createStateStore(config);
  await store.close();
  const db = openSqlDb(config);
  try {
    const listId = await storeListId(db, 'bench', 'newsletter');
    for (let day = 1; day <= DAYS; day += 1) {
      const runId = `run-${day}`;
      await db.run(
        `INSERT INTO runs (run_id, kind, client, list_key, status, started_at, counts) VALUES (?, 'list', 'bench', 'newsletter', 'completed', ?, '{}')`,
        [runId, new Date(Date.UTC(2026, 0, day)).toISOString()],
      );
      await db.run('INSERT INTO ledger_runs (run_id, list_key, list_id, seq) VALUES (?, ?, ?, ?)', [runId, 'newsletter', listId, day]);
    }
    await db.run('UPDATE store_lists SET ledger_seq = ? WHERE id = ?', [DAYS, listId]);
    let spans = 0;
    let rows: SqlValue[][] = [];
    for (let i = 0; i < RECIPIENTS; i += 1) {
      rows.push(...spansOf(listId, i));
      if (rows.length < 10_000 && i < RECIPIENTS - 1) continue;
      spans += await db.insertRows({ table: 'ledger_spans', columns: SPAN_COLUMNS, types: SPAN_TYPES, rows });
      rows = [];
    }
    if (config.kind === 'postgres') await db.run('ANALYZE');
    return spans;
  } finally {
    await db.close();
  }
}

async function measureWhy(kind: string, config: StateStoreConfig): Promise<void> {
  const started = performance.now();
  const spans = await generate(config);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${kind}: generated ${DAYS} runs of ${RECIPIENTS.toLocaleString('en-US')} recipients: ${spans.toLocaleString('en-US')} spans in ${seconds.toFixed(1)} s`,
  );
  const store = await createStateStore(config);
  try {
    for (const [label, lookup] of [
      ['why <email>', (i: number) => ({ recipientId: `user${i}@example.test`, client: 'bench', limit: 50 })],
      ['why contact:<id>', (i: number) => ({ entityType: 'contact', entityId: `c-${i}-0`, client: 'bench', limit: 50 })],
    ] as const) {
      const times: number[] = [];
      let hits = 0;
      for (let k = 0; k < LOOKUPS; k += 1) {
        const i = (k * 2_654_435_761) % RECIPIENTS;
        const at = performance.now();
        hits += (await store.ledger.find(lookup(i))).length;
        times.push(performance.now() - at);
      }
      times.sort((a, b) => a - b);
      const pick = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(1);
      console.log(
        `${kind}: ${label.padEnd(18)} ${LOOKUPS} look-ups, ${(hits / LOOKUPS).toFixed(1)} hits each: p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms, max ${pick(1)} ms`,
      );
    }
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-why-'));
  try {
    if (ENGINES.includes('sqlite')) await measureWhy('sqlite', { kind: 'sqlite', file: join(dir, 'store.sqlite') });
    if (ENGINES.includes('postgres')) {
      const server = await startTestPostgres();
      try {
        await measureWhy('postgres', { kind: 'postgres', url: await createTestDatabase(server.url) });
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
