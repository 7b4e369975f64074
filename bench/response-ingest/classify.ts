import { readFileSync } from 'node:fs';
import type { ClientConfig } from '../../src/config/config-schema';
import { CLOSED_LOOP_MAX_ROWS } from '../../src/optimizely/api/closed-loop-columns';
import { ClosedLoopPagingCheck } from '../../src/optimizely/client/closed-loop-paging-check';
import type { Row } from '../../src/optimizely/client/optimizely-port';
import { pageClassifier } from '../../src/responses/classify-response-page';
import { packPage } from '../../src/responses/ingest-thread/packed-page';
import type { ResponseGetter } from '../../src/responses/response-rows';
import { CLIENT_KEY } from './workload';

// The reading thread's own work on the pages of one ingest, without SOAP, threads or the machine's
// other load: the paging check, classification and packing of the captured pages, CPU time per pass.
// usage: BENCH_CAPTURE_PAGES=<file> npx tsx bench/response-ingest/index.ts (once), then
//        npx tsx bench/response-ingest/classify.ts <file> [passes, default 6]

/** A page with rows as paged by the bench (`capture` mode of measure.ts). */
export interface CapturedPage {
  until: number;
  getter: ResponseGetter;
  startRow: number;
  rows: Row[];
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function pass(pages: readonly CapturedPage[]): { check: number; classify: number; pack: number } {
  const spent = { check: 0, classify: 0, pack: 0 };
  const client = { key: CLIENT_KEY } as ClientConfig;
  let until = Number.NaN;
  let classify = pageClassifier(client, 0);
  let checks = new Map<ResponseGetter, ClosedLoopPagingCheck>();
  for (const page of pages) {
    if (page.until !== until) {
      until = page.until;
      classify = pageClassifier(client, until);
      checks = new Map();
    }
    let at = process.cpuUsage();
    let check = checks.get(page.getter);
    if (!check) checks.set(page.getter, (check = new ClosedLoopPagingCheck(page.getter)));
    check.check(page.startRow, page.rows);
    spent.check += cpuMs(at);
    at = process.cpuUsage();
    const classified = classify(page.getter, page.rows);
    spent.classify += cpuMs(at);
    at = process.cpuUsage();
    packPage(classified);
    spent.pack += cpuMs(at);
  }
  return spent;
}

function main(): void {
  const [file, passesText] = process.argv.slice(2);
  const pages = JSON.parse(readFileSync(file as string, 'utf8')) as CapturedPage[];
  const rows = pages.reduce((sum, page) => sum + page.rows.length, 0);
  const full = pages.filter((page) => page.rows.length === CLOSED_LOOP_MAX_ROWS).length;
  process.stdout.write(`${pages.length} pages (${full} full), ${rows} rows\n`);
  process.stdout.write('pass  paging check ms  classify ms  pack ms  total ms\n');
  for (let i = 1; i <= Number(passesText ?? 6); i += 1) {
    const { check, classify, pack } = pass(pages);
    const cells = [check, classify, pack, check + classify + pack].map((ms) => ms.toFixed(0));
    process.stdout.write(
      `${String(i).padStart(4)}  ${cells[0]!.padStart(15)}  ${cells[1]!.padStart(11)}  ${cells[2]!.padStart(7)}  ${cells[3]!.padStart(8)}\n`,
    );
  }
}

main();
