import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemoCrm } from '../../src/demo/generate-demo-crm';

// Shared by the crm-export benches: demo CRMs generated once into .data/bench/ and reused, and one
// measurement per fresh child process (measure.ts).

const ROOT = join(__dirname, '../..');
const DIR = join(ROOT, '.data/bench');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface Measurement {
  mode: string;
  rows: number;
  accepted: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
}

export function demoCrm(contacts: number): string {
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

export function measure(file: string, mode: 'stream' | 'unchecked' | 'all'): Measurement {
  const out = execFileSync(TSX, [join(__dirname, 'measure.ts'), file, mode], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(out.toString().trim().split('\n').pop() as string) as Measurement;
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
