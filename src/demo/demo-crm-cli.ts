import { parseArgs } from 'node:util';
import { generateDemoCrm } from './generate-demo-crm';

// `npm run demo:crm -- --contacts <n> --out <file> [--seed <n>]`

const USAGE = 'usage: npm run demo:crm -- --contacts <n> --out <file> [--seed <n>]\n';

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer`);
  return n;
}

function main(): void {
  const { values } = parseArgs({ options: { contacts: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } } });
  if (values.contacts === undefined || values.out === undefined) {
    process.stderr.write(USAGE);
    process.exitCode = 2;
    return;
  }
  const summary = generateDemoCrm({
    contacts: positiveInt(values.contacts, 'contacts'),
    file: values.out,
    seed: values.seed === undefined ? 1 : positiveInt(values.seed, 'seed'),
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main();
