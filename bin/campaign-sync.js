#!/usr/bin/env node
// The `campaign-sync` operator CLI (src/cli/main.ts). In a checkout with development dependencies it
// runs the TypeScript sources through tsx, so what runs is what was edited and no build step is
// needed. The production image has neither the sources nor tsx: there it runs the compiled
// JavaScript of `npm run build` (dist/).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const sources = join(__dirname, '../src/cli/main.ts');
const compiled = join(__dirname, '../dist/src/cli/main.js');

function resolvable(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

if (existsSync(sources) && resolvable('tsx/cjs')) {
  require('tsx/cjs');
  require(sources);
} else if (existsSync(compiled)) {
  require(compiled);
} else {
  process.stderr.write(
    'campaign-sync: no compiled CLI (run npm run build) and no tsx to run the sources (npm ci with development dependencies)\n',
  );
  process.exit(1);
}
