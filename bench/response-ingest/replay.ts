import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config';
import { openCrm } from '../../src/crm/open-crm';
import { pageClassifier, type ClassifiedPage } from '../../src/responses/classify-response-page';
import { emptyCounts } from '../../src/responses/response-counts';
import { RESPONSE_GETTERS } from '../../src/responses/response-rows';
import { classifiedWindowIngester, PAGES_PER_CRM_COMMIT, WINDOW_END } from '../../src/responses/window-ingester';
import { createStateStore } from '../../src/store/create-state-store';
import type { CapturedPage } from './classify';
import { CLIENT_KEY } from './workload';

// The response ingestion thread's work of one ingest, replayed on one thread from captured pages:
// the look-ups, the suppression ledger, the CRM's writes and the applied keys, against fresh copies
// of the bench's CRM and state store, CPU milliseconds per pass (the first pass pays what a fresh
// process does: V8 compiling the code as it runs, SQLite's first statements).
// usage: BENCH_CAPTURE_PAGES=<file> npx tsx bench/response-ingest/index.ts (once), then
//        npx tsx bench/response-ingest/replay.ts <file> [passes, default 3]

/** CPU ms of this process's first thread and of its other threads (V8's compiler and GC helpers), Linux only. */
function threadSplit(): { main: number; others: number } {
  let [main, others] = [0, 0];
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    const fields = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10;
    if (tid === String(process.pid)) main += ms;
    else others += ms;
  }
  return { main, others };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function pass(
  file: string,
  pages: readonly CapturedPage[],
  round: number,
): Promise<{ cpu: number; wall: number; split: string; outcomes: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  try {
    const raw = JSON.parse(readFileSync(`${file}.config.json`, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw, unparsed configuration
    raw.crm.file = join(dir, 'crm.sqlite');
    raw.store.file = join(dir, 'state.sqlite');
    raw.dataDir = join(dir, 'data');
    copyFileSync(`${file}.crm.sqlite`, raw.crm.file);
    copyFileSync(`${file}.state.sqlite`, raw.store.file);
    const config = parseConfig(raw, 'bench', process.cwd());
    const client = config.clients.find((c) => c.key === CLIENT_KEY)!;
    if (config.store.kind !== 'sqlite') throw new Error('replay.ts runs on the SQLite state store of the bench');
    const store = await createStateStore(config.store);
    const crm = openCrm(config.crm, process.env);
    // Classified before the clock starts: the reading thread's part (classify.ts measures it).
    const windows = new Map<number, Array<{ page: CapturedPage; classified: ClassifiedPage }>>();
    for (const page of pages) {
      if (!windows.has(page.until)) windows.set(page.until, []);
      windows.get(page.until)!.push({ page, classified: undefined as unknown as ClassifiedPage });
    }
    for (const [until, list] of windows) {
      const classify = pageClassifier(client, until);
      for (const entry of list) entry.classified = classify(entry.page.getter, entry.page.rows);
    }
    const totals: Record<string, number> = {};
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const splitBefore = threadSplit();
    for (const [until, list] of windows) {
      const ingester = classifiedWindowIngester(
        { store, crm },
        { client, window: { since: until - 86_400_000, until }, counts: emptyCounts(), runId: `replay-${round}` },
      );
      let last: Awaited<ReturnType<typeof ingester.ingest>>;
      for (let i = 0; i < list.length; i += 1) {
        const { page, classified } = list[i]!;
        const commit = i === list.length - 1 || (i + 1) % PAGES_PER_CRM_COMMIT === 0;
        last = await ingester.ingest(
          { getterIndex: RESPONSE_GETTERS.indexOf(page.getter), startRow: page.startRow },
          classified,
          commit ? WINDOW_END : undefined,
        );
      }
      for (const counts of Object.values(last?.counts ?? {})) for (const [k, n] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + n;
      await ingester.close();
    }
    const cpu = cpuMs(cpuBefore);
    const splitAfter = threadSplit();
    const split = `first thread ${splitAfter.main - splitBefore.main} ms, other threads ${splitAfter.others - splitBefore.others} ms`;
    const wall = performance.now() - started;
    await crm.close();
    await store.close();
    return { cpu, wall, split, outcomes: JSON.stringify(totals) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [file, passesText] = process.argv.slice(2);
  const pages = JSON.parse(readFileSync(file as string, 'utf8')) as CapturedPage[];
  process.stdout.write(`${pages.length} pages, ${pages.reduce((sum, page) => sum + page.rows.length, 0)} rows\n`);
  for (let i = 1; i <= Number(passesText ?? 3); i += 1) {
    const { cpu, wall, split, outcomes } = await pass(file as string, pages, i);
    process.stdout.write(
      `pass ${i}: CPU ${cpu.toFixed(0)} ms (this process, every thread: ${split}), wall ${wall.toFixed(0)} ms ${i === 1 ? outcomes : ''}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
