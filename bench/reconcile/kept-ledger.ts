/**
 * `npx tsx bench/reconcile/kept-ledger.ts [--recipients 200000] [--rounds 2]`: the `kept` ledger of a
 * reconcile the day after a fill, in both span layouts, alternated in one process on fresh SQLite
 * files. Day 1 records every recipient `sent`; day 2 records every recipient `kept` `unchanged` in
 * writes of 10,000 (as the diff does), timed: the previous layout starts a `kept` span per recipient,
 * the current one continues the `sent` span (`kept_from`). A refresh's day 2 (the `sent` spans
 * extended) is timed beside them as the baseline. Not a test (not run by jest).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlDb } from '../../src/db/open-sql-db';
import { createStateStore } from '../../src/store';
import type { LedgerStore } from '../../src/store/state-store';
import { createSqlLedgerStore } from '../../src/store/sql/sql-ledger-store';
import type { LedgerEntry } from '../../src/store/types';

const WRITE = 10_000;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function day(runId: string, recipients: number, kind: 'sent' | 'kept'): LedgerEntry[] {
  return Array.from({ length: recipients }, (_, i): LedgerEntry => {
    const base = { runId, listKey: 'news', recipientId: `r${i}@x.test`, entityType: 'contact', entityId: `c-${i}` };
    return kind === 'sent' ? { ...base, outcome: 'sent', resultCode: 0 } : { ...base, outcome: 'kept', reason: 'unchanged' };
  });
}

/** Wall and CPU seconds (SQLite runs on this thread, so the CPU is the store's work; steadier on a shared machine). */
async function recordInWrites(ledger: LedgerStore, entries: LedgerEntry[]): Promise<{ seconds: number; cpu: number }> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let from = 0; from < entries.length; from += WRITE) await ledger.record(entries.slice(from, from + WRITE));
  const used = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu: (used.user + used.system) / 1e6 };
}

async function measure(layout: 'refresh (sent extended)' | 'previous (kept started)' | 'current (sent continued)', recipients: number) {
  const dir = mkdtempSync(join(tmpdir(), 'kept-ledger-'));
  const config = { kind: 'sqlite' as const, file: join(dir, 'store.sqlite') };
  const store = await createStateStore(config);
  const db = openSqlDb(config);
  try {
    for (const runId of ['day-1', 'day-2'])
      await store.runs.upsert({
        runId,
        kind: 'list',
        client: 'bench',
        listKey: 'news',
        status: 'running',
        startedAt: new Date().toISOString(),
        endedAt: null,
        counts: {},
        snapshot: null,
      });
    await recordInWrites(store.ledger, day('day-1', recipients, 'sent'));
    const ledger = layout.startsWith('previous') ? createSqlLedgerStore(db, { keptContinuesSent: false }) : store.ledger;
    const { seconds, cpu } = await recordInWrites(ledger, day('day-2', recipients, layout.startsWith('refresh') ? 'sent' : 'kept'));
    const [rows] = await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM ledger_spans');
    return { layout, seconds, cpu, spanRows: Number(rows?.n) };
  } finally {
    await db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const recipients = argument('recipients', 200_000);
  const rounds = argument('rounds', 2);
  console.log(
    `kept ledger the day after a fill: ${recipients} recipients, writes of ${WRITE}, ${rounds} rounds, load ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (let round = 1; round <= rounds; round += 1) {
    const layouts = ['refresh (sent extended)', 'previous (kept started)', 'current (sent continued)'] as const;
    // Each round starts with another layout: none always gets the first (or the last) minutes.
    for (const layout of [...layouts.slice((round - 1) % 3), ...layouts.slice(0, (round - 1) % 3)]) {
      const { seconds, cpu, spanRows } = await measure(layout, recipients);
      console.log(
        `round ${round}  ${layout.padEnd(26)} day 2: ${seconds.toFixed(2)} s (CPU ${cpu.toFixed(2)} s)  span rows after: ${spanRows}`,
      );
    }
  }
}

void main();
