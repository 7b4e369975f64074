// `npx tsx bench/reconcile/page-read.ts [--rows 1000] [--columns 9] [--rounds 40]`: the client's CPU
// time to read one getAllAdvancedFlat page (rows × columns strings, as the simulator writes it), the
// string[] fast path against the general reader, alternated in the same process. A micro benchmark:
// it prints figures, it is not a test.
import { performance } from 'node:perf_hooks';
import { findOperation } from '../../src/optimizely/api/surface';
import { readResponse } from '../../src/optimizely/client/codec/response-reader';
import { writeResponse } from '../../src/simulator/soap/response-writer';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const rows = flag('rows', 1000);
const columns = flag('columns', 9);
const rounds = flag('rounds', 40);
const op = findOperation('Recipient', 'getAllAdvancedFlat')!;
// Row-shaped values like the live list's: an id, an address, names with umlauts and `&`, a few nulls and empties.
const values: (string | null)[] = [];
for (let r = 0; r < rows; r++) {
  const row = [`c${r}`, `person.${r}@example.com`, 'Jörg & Söhne', `Müller-${r}`, 'Köln', '', null, 'de', `2026-11-${(r % 28) + 1}`];
  for (let c = 0; c < columns; c++) values.push(row[c % row.length]!);
}
const page = writeResponse('Recipient', op, values, { shuffleMultiRefs: false });
// A trailing comment is legal XML the fast path declines: the same document, read the general way.
const generalPage = `${page}<!-- -->`;

function timeOne(xml: string): number {
  const start = performance.now();
  const reply = readResponse(xml, op);
  const ms = performance.now() - start;
  if (reply.kind !== 'result' || (reply.value as unknown[]).length !== values.length) throw new Error('page misread');
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (let i = 0; i < 5; i++) {
  timeOne(page);
  timeOne(generalPage);
}
const fast: number[] = [];
const general: number[] = [];
for (let i = 0; i < rounds; i++) {
  general.push(timeOne(generalPage));
  fast.push(timeOne(page));
}
console.log(`page: ${rows} rows × ${columns} columns, ${(page.length / 1024).toFixed(0)} KiB, ${rounds} rounds alternated`);
console.log(`general reader: median ${median(general).toFixed(2)} ms, min ${Math.min(...general).toFixed(2)} ms`);
console.log(`string[] fast path: median ${median(fast).toFixed(2)} ms, min ${Math.min(...fast).toFixed(2)} ms`);
console.log(`speed-up (medians): ${(median(general) / median(fast)).toFixed(1)}×`);
