import { demoCrm, measure, print, type Measurement } from './demo-crm-files';

// The export's rate with and without the sendability stage, in the same run on the same demo CRM:
// rounds alternate the two so machine load falls on both alike; medians are compared.
// PASS when the median rate with the check is within 10% of the one without.
// usage: tsx bench/crm-export/sendability.ts [contacts=100000] [rounds=3]

const contacts = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const file = demoCrm(contacts);
const runs: Record<'unchecked' | 'stream', Measurement[]> = { unchecked: [], stream: [] };
for (let round = 0; round < rounds; round += 1) {
  for (const mode of round % 2 === 0 ? (['unchecked', 'stream'] as const) : (['stream', 'unchecked'] as const))
    runs[mode].push(measure(file, mode));
}

const median = (ms: Measurement[]) => [...ms.map((m) => m.rowsPerSecond)].sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
print(`contacts ${contacts}, rows read ${runs.stream[0]?.rows}, accepted ${runs.stream[0]?.accepted}, ${rounds} rounds`);
print(
  `without sendability check (before): rows/s ${runs.unchecked.map((m) => m.rowsPerSecond).join(', ')}; median ${median(runs.unchecked)}`,
);
print(`with sendability check (after):     rows/s ${runs.stream.map((m) => m.rowsPerSecond).join(', ')}; median ${median(runs.stream)}`);
const change = (median(runs.stream) / median(runs.unchecked) - 1) * 100;
print(`change ${change.toFixed(1)}% (target: no slower than -10%)`);
print(change >= -10 ? 'PASS' : 'FAIL');
process.exitCode = change >= -10 ? 0 : 1;
