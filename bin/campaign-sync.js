#!/usr/bin/env node
// The `campaign-sync` operator CLI (src/cli/main.ts), run through tsx so no build step is needed.
require('tsx/cjs');
require('../src/cli/main.ts');
