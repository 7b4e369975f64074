import { join } from 'node:path';
import { findImportCycles, SOURCE_ROOTS } from './import-cycles';

// `npm run lint:cycles` (part of `npm run check`): fails when files import each other, type-only
// imports included, which `import-x/no-cycle` does not see.

const cycles = findImportCycles(join(__dirname, '..'), SOURCE_ROOTS);
for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' <-> ')}`);
if (cycles.length > 0) {
  console.error('Regroup the files by concept so that the imports run one way.');
  process.exit(1);
}
