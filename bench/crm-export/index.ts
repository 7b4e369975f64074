import { demoCrm, measure, print } from './demo-crm-files';

// Streams the export + validation of the demo "newsletter" list at 100,000 and 1,000,000 contacts,
// each in a fresh child process, beside the baseline of loading the whole result with .all().
// PASS when the streamed peak RSS at 1,000,000 is within 1.5x of the one at 100,000.
// Demo CRMs are generated once into .data/bench/ and reused.

const SIZES = [100_000, 1_000_000];

const results = SIZES.map((contacts) => {
  const file = demoCrm(contacts);
  return { contacts, stream: measure(file, 'stream'), all: measure(file, 'all') };
});

print('contacts   rows read  accepted  mode                 peak RSS MB  rows/s');
for (const r of results) {
  for (const m of [r.stream, r.all]) {
    const label = m.mode === 'all' ? 'baseline .all()' : 'streamed';
    print(
      `${String(r.contacts).padEnd(10)} ${String(m.rows).padStart(9)}  ${String(m.accepted).padStart(8)}  ${label.padEnd(20)} ${String(m.peakRssMb).padStart(11)}  ${m.rowsPerSecond}`,
    );
  }
}
const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
const ratio = large.stream.peakRssMb / small.stream.peakRssMb;
print(
  `streamed peak RSS ratio 1,000,000 / 100,000 = ${ratio.toFixed(2)} (target <= 1.5); baseline ratio = ${(large.all.peakRssMb / small.all.peakRssMb).toFixed(2)}`,
);
print(ratio <= 1.5 ? 'PASS' : 'FAIL');
process.exitCode = ratio <= 1.5 ? 0 : 1;
