import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';

// Streams the export + validation of the demo "newsletter" list at 100,000 and 1,000,000 contacts,
// each in a fresh child process, beside the baseline of loading the whole result with .all().
// PASS when the streamed peak RSS at 1,000,000 is within 1.5x of the one at 100,000.
// Demo CRMs are generated once into .data/bench/ and reused.

const ROOT = join(__dirname, '../..');
const DIR = join(ROOT, '.data/bench');
const SIZES = [100_000, 1_000_000];
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Measurement {
  mode: string;
  rows: number;
  accepted: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
}

function demoCrm(contacts: number): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `demo-crm-${contacts}.db`);
  if (!existsSync(file)) {
    const summary = generateDemoCrm({ contacts, file: `${file}.tmp`, seed: 1 });
    execFileSync('mv', [`${file}.tmp`, file]);
    const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    print(`generated ${contacts} contacts (${total} rows) in ${(summary.durationMs / 1000).toFixed(1)} s`);
  }
  return file;
}

function measure(file: string, mode: 'stream' | 'all'): Measurement {
  const out = execFileSync(TSX, [join(__dirname, 'measure.ts'), file, mode], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString().trim().split('\n').pop() as string) as Measurement;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

const results = SIZES.map((contacts) => {
  const file = demoCrm(contacts);
  return { contacts, stream: measure(file, 'stream'), all: measure(file, 'all') };
});

print('contacts   rows read  accepted  mode                 peak RSS MB  rows/s');
for (const r of results) {
  for (const m of [r.stream, r.all]) {
    const label = m.mode === 'all' ? 'baseline .all()' : 'streamed';
    print(`${String(r.contacts).padEnd(10)} ${String(m.rows).padStart(9)}  ${String(m.accepted).padStart(8)}  ${label.padEnd(20)} ${String(m.peakRssMb).padStart(11)}  ${m.rowsPerSecond}`);
  }
}
const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
const ratio = large.stream.peakRssMb / small.stream.peakRssMb;
print(`streamed peak RSS ratio 1,000,000 / 100,000 = ${ratio.toFixed(2)} (target <= 1.5); baseline ratio = ${(large.all.peakRssMb / small.all.peakRssMb).toFixed(2)}`);
print(ratio <= 1.5 ? 'PASS' : 'FAIL');
process.exitCode = ratio <= 1.5 ? 0 : 1;
