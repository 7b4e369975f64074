import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoConfig, demoSimulatorSeed } from './demo-config';

// `npx tsx src/demo/write-demo-config.ts`: regenerates config/demo.json and its simulator seed.
const dir = join(__dirname, '..', '..', 'config');
writeFileSync(join(dir, 'demo.json'), `${JSON.stringify(demoConfig(), null, 2)}\n`);
writeFileSync(join(dir, 'demo-simulator-seed.json'), `${JSON.stringify(demoSimulatorSeed(), null, 2)}\n`);
console.log(`Wrote ${dir}/demo.json and demo-simulator-seed.json`);
